"""Contract v1 telemetry and status: what devices and the simulator publish on hv/v1."""

from __future__ import annotations

import pytest

from feeds.model import Measurement, StatusUpdate
from feeds.rejection import Reason, Rejected
from tests.decoding_fixtures import NOW_MS, make_decoder, message

LUMINAIRE = "hv/v1/lighting/L-000001/telemetry"
LUMINAIRE_STATUS = "hv/v1/lighting/L-000001/status"


def decode_one(topic: str, doc: object) -> Measurement | StatusUpdate:
    (reading,) = make_decoder().decode(message(topic, doc))
    return reading


def rejection(topic: str, doc: object) -> Rejected:
    with pytest.raises(Rejected) as caught:
        make_decoder().decode(message(topic, doc))
    return caught.value


def test_luminaire_telemetry_becomes_a_measurement() -> None:
    doc = {"ts": NOW_MS - 5000, "metrics": {"on": True, "dim_pct": 70, "power_w": 38.5, "fault": False}}
    assert decode_one(LUMINAIRE, doc) == Measurement(
        "L-000001", "lighting", NOW_MS - 5000, {"on": True, "dim_pct": 70, "power_w": 38.5, "fault": False}
    )


def test_string_metrics_are_kept() -> None:
    reading = decode_one(LUMINAIRE, {"ts": NOW_MS, "metrics": {"driver": "DALI-2", "fault": True}})
    assert reading.metrics == {"driver": "DALI-2", "fault": True}


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("2024-06-01T11:59:00Z", NOW_MS - 60_000),
        ("2024-06-01T13:59:00+02:00", NOW_MS - 60_000),
        ("2024-06-01T11:59:00.250Z", NOW_MS - 59_750),
        ("2024-06-01T11:59:00", NOW_MS - 60_000),
        (NOW_MS - 1.5, NOW_MS - 2),
        (None, NOW_MS),
    ],
)
def test_timestamps_in_epoch_ms_or_iso_8601(ts: object, expected: int) -> None:
    assert decode_one(LUMINAIRE, {"ts": ts, "metrics": {"on": True}}).ts_ms == expected


def test_missing_timestamp_means_arrival_time() -> None:
    assert decode_one(LUMINAIRE, {"metrics": {"on": True}}).ts_ms == NOW_MS


def test_status_of_a_device() -> None:
    assert decode_one(LUMINAIRE_STATUS, {"ts": NOW_MS, "online": False}) == StatusUpdate(
        "L-000001", "lighting", NOW_MS, False
    )


def test_extra_top_level_fields_are_ignored_for_forward_compatibility() -> None:
    reading = decode_one(LUMINAIRE, {"ts": NOW_MS, "metrics": {"on": True}, "seq": 42, "fw": "1.2"})
    assert reading.metrics == {"on": True}


@pytest.mark.parametrize(
    ("doc", "reason", "words"),
    [
        ([1, 2], Reason.BAD_SCHEMA, "must be a JSON object"),
        ({"ts": NOW_MS}, Reason.BAD_SCHEMA, "'metrics' is missing"),
        ({"metrics": [1]}, Reason.BAD_SCHEMA, "'metrics' must be an object"),
        ({"metrics": {"dim pct": 3}}, Reason.BAD_SCHEMA, "metric name"),
        ({"metrics": {"x" * 65: 3}}, Reason.BAD_SCHEMA, "metric name"),
        ({"metrics": {}}, Reason.NO_METRICS, "empty"),
        ({"metrics": {"on": None}}, Reason.WRONG_TYPE, "got null"),
        ({"metrics": {"on": [True]}}, Reason.WRONG_TYPE, "got an array"),
        ({"metrics": {"on": {"v": 1}}}, Reason.WRONG_TYPE, "got an object"),
        ({"metrics": {"note": "x" * 129}}, Reason.WRONG_TYPE, "129 characters"),
        ({"ts": "yesterday", "metrics": {"on": True}}, Reason.BAD_TIMESTAMP, "not ISO 8601"),
        ({"ts": True, "metrics": {"on": True}}, Reason.BAD_TIMESTAMP, "got a boolean"),
        ({"ts": 946_684_799_999, "metrics": {"on": True}}, Reason.BAD_TIMESTAMP, "before 2000"),
        ({"ts": NOW_MS // 1000, "metrics": {"on": True}}, Reason.BAD_TIMESTAMP, "looks like seconds"),
        ({"ts": NOW_MS + 300_001, "metrics": {"on": True}}, Reason.FUTURE_TIMESTAMP, "ahead of the clock"),
        ({"ts": "2030-01-01T00:00:00Z", "metrics": {"on": True}}, Reason.FUTURE_TIMESTAMP, "2030-01-01"),
        ({"ts": 1e300, "metrics": {"on": True}}, Reason.FUTURE_TIMESTAMP, "ahead of the clock"),
    ],
)
def test_bad_telemetry_is_rejected_with_reason(doc: object, reason: Reason, words: str) -> None:
    rejected = rejection(LUMINAIRE, doc)
    assert rejected.reason == reason
    assert words in rejected.detail
    assert rejected.asset_id == "L-000001"


def test_timestamp_exactly_at_the_future_limit_is_accepted() -> None:
    assert decode_one(LUMINAIRE, {"ts": NOW_MS + 300_000, "metrics": {"on": True}}).ts_ms == NOW_MS + 300_000


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"ts": 1, "metrics": {"on": tru', Reason.BAD_JSON),
        (b'{"metrics": {"dim_pct": NaN}}', Reason.BAD_JSON),
        (b'{"metrics": {"dim_pct": Infinity}}', Reason.BAD_JSON),
        (b"\xff\xfe{}", Reason.BAD_JSON),
        (b"", Reason.BAD_JSON),
        (b'{"metrics": {"dim_pct": 1e999}}', Reason.NOT_FINITE),
        (b'{"metrics": {"dim_pct": -1e400}}', Reason.NOT_FINITE),
    ],
)
def test_payloads_that_are_not_usable_json(payload: bytes, reason: Reason) -> None:
    rejected = rejection(LUMINAIRE, payload)
    assert rejected.reason == reason
    assert rejected.asset_id == "L-000001"


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ({"ts": NOW_MS}, Reason.BAD_SCHEMA),
        ({"online": "yes"}, Reason.WRONG_TYPE),
        ({"online": 1}, Reason.WRONG_TYPE),
        ("online", Reason.BAD_SCHEMA),
        ({"online": True, "ts": NOW_MS + 3_600_000}, Reason.FUTURE_TIMESTAMP),
    ],
)
def test_bad_status_is_rejected(doc: object, reason: Reason) -> None:
    assert rejection(LUMINAIRE_STATUS, doc).reason == reason


def test_a_metric_name_refused_once_is_refused_again() -> None:
    decoder = make_decoder()
    for _ in range(2):
        with pytest.raises(Rejected) as caught:
            decoder.decode(message(LUMINAIRE, {"metrics": {"on/off": True}}))
        assert caught.value.reason == Reason.BAD_SCHEMA


@pytest.mark.parametrize(
    ("payload", "metrics"),
    [
        (b' {"metrics": {"on": true, "dim_pct": 70}} \n', {"on": True, "dim_pct": 70}),
        (b'{"metrics": {"power_w": 1.5e1, "dim_pct": -0}}', {"power_w": 15.0, "dim_pct": 0}),
        (b'{"metrics": {"on": false, "on": true}}', {"on": True}),
        (b'{"metrics": {"energy_wh": 9223372036854775807}}', {"energy_wh": 9223372036854775807}),
        # orjson reads integers beyond 64 bits as floats; so does the engine, whichever path decodes them.
        (b'{"metrics": {"energy_wh": 18446744073709551616}}', {"energy_wh": 1.8446744073709552e19}),
        (b'{"metrics": {"on": true}, "schema": 1}', {"on": True}),
    ],
)
def test_plain_telemetry_decodes_alike_whichever_path_takes_it(payload: bytes, metrics: dict[str, object]) -> None:
    decoder = make_decoder()
    decoder.decode(message(LUMINAIRE, {"metrics": {"on": True, "dim_pct": 1, "power_w": 1.0}}))
    (reading,) = decoder.decode(message(LUMINAIRE, payload))
    assert reading == Measurement("L-000001", "lighting", NOW_MS, metrics)
    assert {k: type(v) for k, v in reading.metrics.items()} == {k: type(v) for k, v in metrics.items()}
