"""LoRaWAN uplinks from The Things Stack v3 and ChirpStack v4, as their MQTT integrations publish them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from feeds.model import Measurement
from feeds.rejection import Reason, Rejected
from tests.decoding_fixtures import NOW_MS, TTS_DEV_EUI, TTS_DEVICE_ID, make_decoder, message

TTS_TOPIC = "hv/v1/in/tts/v3/dijon-waste@ttn/devices/bin-sensor-0101/up"
CHIRPSTACK_TOPIC = "hv/v1/in/chirpstack/application/17c82e96/device/0101010101010101/event/up"

TTS_UPLINK: dict[str, Any] = {
    "end_device_ids": {
        "device_id": TTS_DEVICE_ID,
        "application_ids": {"application_id": "dijon-waste"},
        "dev_eui": TTS_DEV_EUI,
        "join_eui": "0000000000000001",
        "dev_addr": "260BABCD",
    },
    "correlation_ids": ["as:up:01HX6YGQ7E0V83YRZ7K4S5J4ZN", "gs:uplink:01HX6YGQ7AS3VTM5W5W36YV1F1"],
    "received_at": "2024-06-01T11:59:58.412Z",
    "uplink_message": {
        "session_key_id": "AWNbm/4zfqx0jZ5q1NlBmw==",
        "f_port": 2,
        "f_cnt": 1834,
        "frm_payload": "SAEnAVgA",
        "decoded_payload": {"fill_level": 72, "temperature": 19.5, "battery_pct": 88, "tilt": False},
        "rx_metadata": [
            {
                "gateway_ids": {"gateway_id": "eui-aa555a0000000101", "eui": "AA555A0000000101"},
                "time": "2024-06-01T11:59:58.150Z",
                "timestamp": 3895211423,
                "rssi": -68,
                "channel_rssi": -68,
                "snr": 9.2,
            }
        ],
        "settings": {
            "data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 7}},
            "frequency": "868100000",
            "timestamp": 3895211423,
        },
        "received_at": "2024-06-01T11:59:58.200Z",
        "consumed_airtime": "0.061696s",
        "network_ids": {"net_id": "000013", "tenant_id": "ttn", "cluster_id": "eu1"},
    },
}

CHIRPSTACK_UPLINK: dict[str, Any] = {
    "deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d",
    "time": "2024-06-01T11:59:57.823500726+00:00",
    "deviceInfo": {
        "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
        "tenantName": "ChirpStack",
        "applicationId": "17c82e96-be03-4f38-aef3-f83d48582d97",
        "applicationName": "dijon-water",
        "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
        "deviceProfileName": "pressure-probe",
        "deviceName": "W-P-012",
        "devEui": "0101010101010101",
        "deviceClassEnabled": "CLASS_A",
        "tags": {},
    },
    "devAddr": "00189440",
    "adr": True,
    "dr": 1,
    "fCnt": 10,
    "fPort": 1,
    "confirmed": False,
    "data": "AUA=",
    "object": {"pressure_bar": 3.2, "battery_pct": 97},
    "rxInfo": [
        {
            "gatewayId": "0016c001f153a14c",
            "uplinkId": 4217106255,
            "rssi": -36,
            "snr": 10.5,
            "context": "E3OWOQ==",
            "metadata": {"region_name": "eu868", "region_common_name": "EU868"},
        }
    ],
    "txInfo": {
        "frequency": 868100000,
        "modulation": {"lora": {"bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5"}},
    },
}


def decode(topic: str, doc: object) -> list[Measurement]:
    return make_decoder().decode(message(topic, doc))  # type: ignore[return-value]


def rejection(topic: str, doc: object) -> Rejected:
    with pytest.raises(Rejected) as caught:
        decode(topic, doc)
    return caught.value


def tts(decoded: object = None, **ids: Any) -> dict[str, Any]:
    uplink = copy.deepcopy(TTS_UPLINK)
    if decoded is not None:
        uplink["uplink_message"]["decoded_payload"] = decoded
    uplink["end_device_ids"].update(ids)
    return uplink


def chirpstack(decoded: object = None, **info: Any) -> dict[str, Any]:
    event = copy.deepcopy(CHIRPSTACK_UPLINK)
    if decoded is not None:
        event["object"] = decoded
    event["deviceInfo"].update(info)
    return event


def test_tts_uplink_of_a_waste_container() -> None:
    # The network server's reception time (uplink_message.received_at) dates the measurement.
    assert decode(TTS_TOPIC, TTS_UPLINK) == [
        Measurement("W-C-0101", "waste", NOW_MS - 1800, {"fill_pct": 72, "temp_c": 19.5, "battery_pct": 88})
    ]


def test_tts_device_found_by_dev_eui_in_any_case() -> None:
    uplink = tts(device_id="eui-70b3d57ed005b89a", dev_eui=TTS_DEV_EUI.lower())
    assert decode(TTS_TOPIC, uplink)[0].asset_id == "W-C-0101"


def test_tts_keys_with_unit_suffixes_and_our_own_names() -> None:
    uplink = tts({"temperature_c": 19.0, "battery_pct": 51, "fill_pct": 12.5})
    assert decode(TTS_TOPIC, uplink)[0].metrics == {"temp_c": 19.0, "battery_pct": 51, "fill_pct": 12.5}


def test_tts_falls_back_to_the_application_server_time() -> None:
    uplink = tts()
    del uplink["uplink_message"]["received_at"]
    assert decode(TTS_TOPIC, uplink)[0].ts_ms == NOW_MS - 1588


def test_chirpstack_uplink_of_a_pressure_sensor_named_by_device_name() -> None:
    # The nanosecond time is truncated to the millisecond.
    assert decode(CHIRPSTACK_TOPIC, CHIRPSTACK_UPLINK) == [
        Measurement("W-P-012", "water", NOW_MS - 2177, {"pressure_bar": 3.2, "battery_pct": 97})
    ]


def test_chirpstack_dev_eui_in_lower_case_matches_an_upper_case_alias() -> None:
    event = chirpstack({"fillLevel": 55, "temperature": 17.0}, deviceName="bin-0102", devEui="a84041000181c61a")
    assert decode(CHIRPSTACK_TOPIC, event)[0].metrics == {"fill_pct": 55, "temp_c": 17.0}


def test_chirpstack_luminaire_with_integer_booleans() -> None:
    event = chirpstack({"on": 1, "dim": 50, "power_w": 35.2, "lampFailure": 0}, deviceName="L-000002")
    assert decode(CHIRPSTACK_TOPIC, event)[0].metrics == {"on": True, "dim_pct": 50, "power_w": 35.2, "fault": False}


def test_chirpstack_without_time_uses_arrival_time() -> None:
    event = chirpstack()
    del event["time"]
    assert decode(CHIRPSTACK_TOPIC, event)[0].ts_ms == NOW_MS


def _without(doc: dict[str, Any], *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return changed


@pytest.mark.parametrize(
    ("topic", "doc", "reason", "words"),
    [
        (TTS_TOPIC, _without(TTS_UPLINK, "uplink_message", "decoded_payload"), Reason.NO_METRICS, "payload formatter"),
        (TTS_TOPIC, _without(TTS_UPLINK, "uplink_message"), Reason.BAD_SCHEMA, "not an uplink"),
        (TTS_TOPIC, _without(TTS_UPLINK, "end_device_ids"), Reason.BAD_SCHEMA, "end_device_ids"),
        (TTS_TOPIC, tts(device_id="bin-9999", dev_eui="0000000000000000"), Reason.UNKNOWN_ASSET, "bin-9999"),
        (TTS_TOPIC, tts({"temperature": "19.5"}), Reason.WRONG_TYPE, "temperature"),
        (TTS_TOPIC, tts({"humidity": 40, "rssi": -80}), Reason.NO_METRICS, "humidity"),
        (TTS_TOPIC, tts("SAEnAVgA"), Reason.BAD_SCHEMA, "decoded_payload"),
        (TTS_TOPIC, [TTS_UPLINK], Reason.BAD_SCHEMA, "JSON object"),
        (CHIRPSTACK_TOPIC, _without(CHIRPSTACK_UPLINK, "object"), Reason.NO_METRICS, "codec"),
        (CHIRPSTACK_TOPIC, _without(CHIRPSTACK_UPLINK, "deviceInfo"), Reason.BAD_SCHEMA, "deviceInfo"),
        (CHIRPSTACK_TOPIC, chirpstack(deviceName="", devEui=""), Reason.BAD_SCHEMA, "names no device"),
        (CHIRPSTACK_TOPIC, {**CHIRPSTACK_UPLINK, "time": "2024-06-01 25:00"}, Reason.BAD_TIMESTAMP, "ISO 8601"),
        (CHIRPSTACK_TOPIC, {**CHIRPSTACK_UPLINK, "time": "2024-06-01T12:30:00Z"}, Reason.FUTURE_TIMESTAMP, "ahead"),
        (CHIRPSTACK_TOPIC, chirpstack({"pressure": True}), Reason.WRONG_TYPE, "pressure"),
    ],
)
def test_bad_uplinks_are_rejected(topic: str, doc: object, reason: Reason, words: str) -> None:
    rejected = rejection(topic, doc)
    assert rejected.reason == reason
    assert words in rejected.detail
