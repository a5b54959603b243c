"""Incident files: the signed hash chain of alarm events and actions, exports, and their verification."""

from hypervisor.incident.chain import Signer
from hypervisor.incident.keeper import ChainKeeper
from hypervisor.incident.verify import Verdict, verify_file

__all__ = ["ChainKeeper", "Signer", "Verdict", "verify_file"]
