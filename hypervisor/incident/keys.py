"""The deployment's Ed25519 signing key: made on first start, kept 0600, shown by its fingerprint."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hypervisor import paths

PRIVATE_NAME = "deployment-ed25519.pem"
PUBLIC_NAME = "deployment-ed25519.pub"


class KeyFileError(ValueError):
    """A key file that cannot be read as an Ed25519 key."""


def default_key_path() -> Path:
    """``$XDG_DATA_HOME/hypervisor/keys/deployment-ed25519.pem``: the deployment's state directory."""
    return paths.user_data_dir() / "keys" / PRIVATE_NAME


def public_bytes(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey | bytes) -> str:
    """``SHA256:`` and the first 16 bytes of the public key's SHA-256 in hex, grouped for reading aloud."""
    raw = key if isinstance(key, bytes) else public_bytes(key)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return "SHA256:" + ":".join(digest[i:i + 4] for i in range(0, 32, 4))


def create_key(path: Path) -> Ed25519PrivateKey:
    """Write a new private key (0600, never overwriting) and its public key beside it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path(path).write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return key


def public_path(private: Path) -> Path:
    return private.with_name(private.name.removesuffix(".pem") + ".pub")


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read a private key written by :func:`create_key` (PEM, PKCS 8, unencrypted)."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a public key: PEM (as ``hypervisor keys create`` writes it) or a private key's PEM."""
    data = path.read_bytes()
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        return load_private_key(path).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def deployment_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The key at ``path`` (default: the deployment's), created with 0600 permissions on first use."""
    path = path or default_key_path()
    if not path.exists():
        return create_key(path)
    return load_private_key(path)
