"""A private mosquitto on a free loopback port, for tests, benchmarks and trying a deployment locally."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType


class MosquittoNotInstalled(RuntimeError):
    """The mosquitto binary is missing; on Debian: ``apt-get install mosquitto``."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mosquitto:
    """Runs ``mosquitto -c <generated conf>``; ``stop()`` and ``start()`` again keep port and persistence."""

    def __init__(self, extra_conf: str = "", port: int | None = None, allow_anonymous: bool = True) -> None:
        binary = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)
        if binary is None:
            raise MosquittoNotInstalled("mosquitto is not installed (Debian: apt-get install mosquitto)")
        self.binary = binary
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hv-mosquitto-"))
        self.conf = self.dir / "mosquitto.conf"
        self.conf.write_text(
            # Started as root, mosquitto would switch to its own user and lose access to our files.
            f"user {getpass.getuser()}\n"
            f"listener {self.port} 127.0.0.1\n"
            f"allow_anonymous {'true' if allow_anonymous else 'false'}\n"
            "persistence true\n"
            f"persistence_location {self.dir}/\n"
            "max_queued_messages 0\n"
            "max_inflight_messages 0\n"
            "max_keepalive 65535\n"
            f"log_dest file {self.dir}/mosquitto.log\n"
            f"{extra_conf}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 10.0) -> None:
        self.process = subprocess.Popen([self.binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"mosquitto exited at start: {err or self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise TimeoutError(f"mosquitto did not listen on {self.port} within {timeout_s} s")

    def stop(self, kill: bool = False) -> None:
        """Stop the broker; a clean stop (the default) writes its persistence file first."""
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def log_tail(self, lines: int = 20) -> str:
        log = self.dir / "mosquitto.log"
        return "\n".join(log.read_text().splitlines()[-lines:]) if log.exists() else ""

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Mosquitto:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cleanup()
