"""SenML (RFC 8428) packs on hv/v1/in/senml/#, shaped like the RFC's own examples."""

from __future__ import annotations

import pytest

from feeds.model import Measurement
from feeds.rejection import Reason, Rejected
from tests.decoding_fixtures import NOW_MS, make_decoder, message

TOPIC = "hv/v1/in/senml/gateway-7"
NOW_S = NOW_MS // 1000


def decode(pack: object) -> list[Measurement]:
    return make_decoder().decode(message(TOPIC, pack))  # type: ignore[return-value]


def rejection(pack: object) -> Rejected:
    with pytest.raises(Rejected) as caught:
        decode(pack)
    return caught.value


def test_single_datapoint_named_by_the_device_converts_kpa_to_bar() -> None:
    # RFC 8428 section 5.1.1: the name is the device, the unit says what was measured.
    assert decode([{"n": "urn:dev:hv:W-P-012", "u": "kPa", "v": 312.5}]) == [
        Measurement("W-P-012", "water", NOW_MS, {"pressure_bar": 3.125})
    ]


def test_base_name_plus_measurement_name() -> None:
    assert decode([{"bn": "urn:dev:hv:W-P-012:", "n": "pressure", "u": "bar", "v": 3.1}]) == [
        Measurement("W-P-012", "water", NOW_MS, {"pressure_bar": 3.1})
    ]


def test_base_time_and_offsets_give_one_measurement_per_instant() -> None:
    # RFC 8428 section 5.1.3 shape: bt in seconds, t relative to it, bu for every record.
    pack = [
        {"bn": "urn:dev:ow:10e2073a01080063:", "bt": NOW_S - 60, "bu": "m3/s", "bver": 10, "n": "flow", "v": 0.012},
        {"n": "flow", "t": 30, "v": 0.013},
    ]
    assert decode(pack) == [
        Measurement("W-F-003", "water", NOW_MS - 60_000, {"flow_m3h": 43.2}),
        Measurement("W-F-003", "water", NOW_MS - 30_000, {"flow_m3h": 46.8}),
    ]


def test_small_times_are_relative_to_now() -> None:
    (reading,) = decode([{"n": "urn:dev:hv:W-P-012:pressure", "u": "Pa", "v": 310000, "t": -10}])
    assert (reading.ts_ms, reading.metrics) == (NOW_MS - 10_000, {"pressure_bar": 3.1})


def test_one_pack_can_cover_several_assets() -> None:
    pack = [
        {"bn": "urn:dev:hv:", "bt": NOW_S, "n": "W-P-012:pressure", "u": "bar", "v": 2.9},
        {"n": "W-R-001:level", "u": "%", "v": 81.5},
        {"n": "W-P-012:pressure", "t": 10, "u": "bar", "v": 2.8},
    ]
    assert decode(pack) == [
        Measurement("W-P-012", "water", NOW_MS, {"pressure_bar": 2.9}),
        Measurement("W-R-001", "water", NOW_MS, {"level_pct": 81.5}),
        Measurement("W-P-012", "water", NOW_MS + 10_000, {"pressure_bar": 2.8}),
    ]


def test_boolean_values_and_ratio_units() -> None:
    pack = [{"bn": "urn:dev:hv:L-000002:", "n": "on", "vb": True}, {"n": "dimming", "u": "/", "v": 0.4}]
    assert decode(pack) == [Measurement("L-000002", "lighting", NOW_MS, {"on": True, "dim_pct": 40.0})]


def test_container_temperature_and_battery_energy_level() -> None:
    pack = [
        {"bn": "urn:dev:hv:W-C-0102:", "n": "temp", "u": "Cel", "v": 18.5},
        {"n": "battery", "u": "%EL", "v": 87},
        {"n": "fill", "u": "%", "v": 64},
    ]
    assert decode(pack)[0].metrics == {"temp_c": 18.5, "battery_pct": 87, "fill_pct": 64}


def test_base_value_is_added() -> None:
    pack = [{"bn": "urn:dev:hv:W-P-012:", "bv": 3.0, "n": "pressure", "u": "bar", "v": 0.25}]
    assert decode(pack)[0].metrics == {"pressure_bar": 3.25}


def test_pack_of_quantities_we_do_not_supervise_has_no_metrics() -> None:
    # RFC 8428 section 5.1.5 shape: humidity and position of a device that is our flow meter.
    pack = [
        {"bn": "urn:dev:ow:10e2073a01080063:", "bt": NOW_S, "bu": "%RH", "v": 20},
        {"u": "lon", "v": 24.30621},
        {"u": "lat", "v": 60.07965},
    ]
    rejected = rejection(pack)
    assert rejected.reason == Reason.NO_METRICS
    assert rejected.asset_id == "W-F-003"
    assert "flow_m3h" in rejected.detail


@pytest.mark.parametrize(
    ("pack", "reason"),
    [
        ({"n": "urn:dev:hv:W-P-012", "v": 1}, Reason.BAD_SCHEMA),
        ([["urn:dev:hv:W-P-012", 1]], Reason.BAD_SCHEMA),
        ([{"bn": 5, "n": "pressure", "v": 1}], Reason.BAD_SCHEMA),
        ([{"n": 5, "v": 1}], Reason.BAD_SCHEMA),
        ([{"v": 1}], Reason.BAD_SCHEMA),
        ([{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 1, "calib_": 2}], Reason.BAD_SCHEMA),
        ([{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": "3.1"}], Reason.WRONG_TYPE),
        ([{"n": "urn:dev:hv:L-000002:on", "vb": 1}], Reason.WRONG_TYPE),
        ([{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 1, "t": "now"}], Reason.BAD_TIMESTAMP),
        ([{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 1, "bt": 500_000_000}], Reason.BAD_TIMESTAMP),
        ([{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 1, "t": 3600}], Reason.FUTURE_TIMESTAMP),
        ([{"n": "urn:dev:xx:nobody:pressure", "u": "bar", "v": 1}], Reason.UNKNOWN_ASSET),
        ([], Reason.NO_METRICS),
    ],
)
def test_bad_packs_are_rejected(pack: object, reason: Reason) -> None:
    assert rejection(pack).reason == reason


def test_one_bad_record_rejects_the_whole_pack() -> None:
    pack = [
        {"bn": "urn:dev:hv:W-P-012:", "n": "pressure", "u": "bar", "v": 3.1},
        {"bn": "urn:dev:hv:W-X-999:", "n": "pressure", "u": "bar", "v": 3.0},
    ]
    assert rejection(pack).reason == Reason.UNKNOWN_ASSET


def test_overflowing_number_is_not_finite() -> None:
    payload = b'[{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 1e999}]'
    with pytest.raises(Rejected) as caught:
        make_decoder().decode(message(TOPIC, payload))
    assert caught.value.reason == Reason.NOT_FINITE


def test_value_in_a_unit_that_cannot_be_ours_is_ignored() -> None:
    pack = [
        {"bn": "urn:dev:hv:W-C-0102:", "n": "battery", "u": "V", "v": 3.6},
        {"n": "fill", "u": "%", "v": 12},
    ]
    assert decode(pack)[0].metrics == {"fill_pct": 12}
