"""Why a message could not be used. Every rejection carries one of these reasons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Stable reason codes, counted in engine health and stored in the quarantine table."""

    BAD_JSON = "bad_json"
    BAD_SCHEMA = "bad_schema"
    WRONG_TYPE = "wrong_type"
    NOT_FINITE = "not_finite"
    UNKNOWN_ASSET = "unknown_asset"
    DOMAIN_MISMATCH = "domain_mismatch"
    FUTURE_TIMESTAMP = "future_timestamp"
    BAD_TIMESTAMP = "bad_timestamp"
    OVERSIZE = "oversize"
    UNKNOWN_TOPIC = "unknown_topic"
    NO_METRICS = "no_metrics"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_STATE = "unknown_state"


class Rejected(Exception):
    """Raised by codecs and validation; the engine quarantines the message and goes on."""

    def __init__(self, reason: Reason, detail: str, asset_id: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.asset_id = asset_id


@dataclass(frozen=True, slots=True)
class Rejection:
    """A quarantined message: what arrived, when, and why it was refused."""

    received_ms: int
    topic: str
    payload: bytes
    reason: Reason
    detail: str
    asset_id: str | None = None
