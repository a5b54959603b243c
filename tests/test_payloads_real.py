"""Real payloads, shaped as each system documents them: the value and unit stored, or the refusal and why.

Shapes follow the Smart Data Models examples (Streetlight, StreetlightControlCabinet, WasteContainer,
WaterObserved), The Things Stack's uplink format (simulated uplinks included), ChirpStack v4 events,
RFC 8428 and LwM2M SenML, and vendors' decoders of the TTN device repository (Milesight EM500-PP,
Dragino LDDS75 and LHT65).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from feeds.model import Measurement
from feeds.rejection import Reason
from tests.decoding_fixtures import NOW_MS, STREETLIGHT_URN, WASTE_URN
from tests.test_codecs_lorawan import CHIRPSTACK_TOPIC, CHIRPSTACK_UPLINK, TTS_TOPIC, TTS_UPLINK, decode
from tests.test_codecs_lorawan import rejection as refusal

NGSI = "hv/v1/in/ngsi-ld/x"
V1_WATER = "hv/v1/water/W-P-012/telemetry"


def tts(decoded: dict[str, Any], device_id: str = "bin-sensor-0101", model: str | None = None) -> dict[str, Any]:
    uplink = copy.deepcopy(TTS_UPLINK)
    uplink["end_device_ids"]["device_id"] = device_id
    uplink["end_device_ids"]["dev_eui"] = "0000000000000000"
    uplink["uplink_message"]["decoded_payload"] = decoded
    if model is not None:
        brand, _, model_id = model.partition("/")
        uplink["uplink_message"]["version_ids"] = {"brand_id": brand, "model_id": model_id, "firmware_version": "1.0"}
    return uplink


# -- strings are not numbers in v1 telemetry; values outside the physical range are refused ---------------


@pytest.mark.parametrize(
    ("topic", "metrics", "reason", "words"),
    [
        ("hv/v1/waste/W-C-0101/telemetry", {"temp_c": "85"}, Reason.WRONG_TYPE,
         "'temp_c' must be a number (°C), got a string ('85')"),
        (V1_WATER, {"pressure_bar": "7.4"}, Reason.WRONG_TYPE, "'pressure_bar' must be a number (bar)"),
        (V1_WATER, {"pressure_bar": 74}, Reason.OUT_OF_RANGE, "'pressure_bar' is 74 bar, outside -1 to 40 bar"),
        ("hv/v1/lighting/L-000001/telemetry", {"on": "yes"}, Reason.WRONG_TYPE, "'on' must be a boolean"),
        ("hv/v1/lighting/L-000001/telemetry", {"dim_pct": True}, Reason.WRONG_TYPE, "'dim_pct' must be a number"),
        ("hv/v1/waste/W-C-0101/telemetry", {"fill_pct": 8700}, Reason.OUT_OF_RANGE, "outside 0 to 100 %"),
    ],
)
def test_v1_catalogue_types_and_ranges(topic: str, metrics: dict, reason: Reason, words: str) -> None:
    refused = refusal(topic, {"metrics": metrics})
    assert (refused.reason, refused.asset_id) == (reason, topic.split("/")[3])
    assert words in refused.detail


def test_v1_values_in_range_and_free_metrics_still_pass() -> None:
    doc = {"metrics": {"pressure_bar": 3.2, "firmware": "1.4.2", "on_battery": True}}
    assert decode(V1_WATER, doc)[0].metrics == doc["metrics"]


# -- wrong values stored before: now converted from their unit, or refused ---------------------------------


def test_milesight_em500_pp_pressure_in_kpa_through_its_shipped_profile() -> None:
    # Its decoder: {"battery": 100, "pressure": 10} with the pressure in kPa: 0.1 bar, not 10 bar.
    readings = decode(TTS_TOPIC, tts({"battery": 100, "pressure": 10}, "W-P-012", "milesight-iot/em500-pp"))
    assert readings[0].metrics == {"pressure_bar": 0.1, "battery_pct": 100}


def test_pressure_without_a_unit_or_profile_is_refused_naming_the_way_out() -> None:
    refused = refusal(TTS_TOPIC, tts({"battery": 100, "pressure": 10}, "W-P-012"))
    assert refused.reason == Reason.UNKNOWN_UNIT
    assert "= 100 has no unit" in refused.detail and "device profile" in refused.detail


@pytest.mark.parametrize("battery", [3250, 3.6])
def test_battery_in_millivolts_or_volts_is_not_a_percentage(battery: float) -> None:
    refused = refusal(TTS_TOPIC, tts({"fill_level": 40, "battery": battery}))
    assert refused.reason == Reason.UNKNOWN_UNIT and "battery" in refused.detail


def test_battery_declared_in_volts_is_left_out_not_stored_as_percent() -> None:
    readings = decode(TTS_TOPIC, tts({"fill_level": 40, "battery": {"value": 3.6, "unit": "V"}}))
    assert readings[0].metrics == {"fill_pct": 40}


def test_water_observed_water_level_in_metres_needs_the_reservoir_height() -> None:
    entity = {"id": "urn:ngsi-ld:WaterObserved:W-R-001", "type": "WaterObserved",
              "waterLevel": {"type": "Property", "value": 4.2}, "dateObserved": "2024-06-01T11:00:00Z"}
    refused = refusal(NGSI, entity)
    assert refused.reason == Reason.NO_METRICS and "max_level_m" in refused.detail


@pytest.mark.parametrize(("word", "fault"), [("OK", False), ("working", False), ("defectiveLamp", True)])
def test_streetlight_status_words_case_insensitive(word: str, fault: bool) -> None:
    readings = decode(NGSI, {"id": STREETLIGHT_URN, "type": "Streetlight", "status": word})
    assert readings[0].metrics == {"fault": fault}


def test_unknown_streetlight_status_word_is_refused_with_the_word() -> None:
    refused = refusal(NGSI, {"id": STREETLIGHT_URN, "type": "Streetlight", "status": "flickering"})
    assert refused.reason == Reason.UNKNOWN_STATE and "'flickering'" in refused.detail


@pytest.mark.parametrize(
    ("entity", "words"),
    [
        ({"id": WASTE_URN, "type": "WasteContainer", "fillingLevel": 87}, "'fillingLevel' = 87 / is 8700 %"),
        ({"id": STREETLIGHT_URN, "type": "Streetlight", "illuminanceLevel": 60}, "is 6000 % for dim_pct"),
    ],
)
def test_percentages_where_the_model_says_zero_to_one_are_out_of_range(entity: dict, words: str) -> None:
    refused = refusal(NGSI, entity)
    assert refused.reason == Reason.OUT_OF_RANGE
    assert words in refused.detail and "0 to 100 %" in refused.detail


# -- NGSI cases lost or misread before ---------------------------------------------------------------------


def test_date_observed_as_an_interval_dates_the_end() -> None:
    entity = {"id": WASTE_URN, "type": "WasteContainer", "fillingLevel": 0.5,
              "dateObserved": "2024-06-01T11:00:00Z/2024-06-01T11:30:00Z"}
    assert decode(NGSI, entity)[0].ts_ms == NOW_MS - 1_800_000


def test_ngsi_v2_metadata_time_instant_and_unit_code() -> None:
    entity = {"id": "urn:ngsi-ld:Streetlight:L-000002", "type": "Streetlight",
              "powerConsumption": {"type": "Number", "value": 0.04, "metadata": {
                  "TimeInstant": {"type": "DateTime", "value": "2024-06-01T11:55:00.000Z"},
                  "unitCode": {"type": "Text", "value": "KWT"}}}}
    assert decode(NGSI, entity) == [Measurement("L-000002", "lighting", NOW_MS - 300_000, {"power_w": 40.0})]


def test_multi_instance_attribute_keeps_every_instance() -> None:
    entity = {"id": WASTE_URN, "type": "WasteContainer", "temperature": [
        {"type": "Property", "value": 18.0, "datasetId": "urn:ngsi-ld:Dataset:probe-b",
         "observedAt": "2024-06-01T11:00:00Z"},
        {"type": "Property", "value": 19.0, "observedAt": "2024-06-01T11:30:00Z"},
    ]}
    assert {(r.ts_ms, r.metrics["temp_c"]) for r in decode(NGSI, entity)} == {
        (NOW_MS - 3_600_000, 18.0), (NOW_MS - 1_800_000, 19.0)}


def test_geojson_representation_of_entities() -> None:
    collection = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": WASTE_URN, "geometry": {"type": "Point", "coordinates": [5.04, 47.32]},
        "properties": {"type": "WasteContainer", "fillingLevel": 0.3, "status": "burning"}}]}
    assert decode(NGSI, collection)[0].metrics == {"fill_pct": 30.0, "fire": True}


def test_cabinet_total_active_power_in_kw_and_lowest_phase_voltage() -> None:
    cabinet = {"id": "urn:ngsi-ld:StreetlightControlCabinet:L-C-044", "type": "StreetlightControlCabinet",
               "totalActivePower": {"type": "Property", "value": 4.2}, "voltageR": 231.0,
               "voltageS": {"type": "Property", "value": 198.5}, "voltageT": 229.4,
               "intensityR": {"type": "Property", "value": 20.1}}
    assert decode(NGSI, cabinet)[0].metrics == {"power_kw": 4.2, "voltage_v": 198.5}


def test_container_lid_open_status() -> None:
    assert decode(NGSI, {"id": WASTE_URN, "type": "WasteContainer", "status": "lidOpen"})[0].metrics == {
        "lid_open": True}


# -- LoRaWAN network servers and vendors' decoders ---------------------------------------------------------


def test_tts_simulated_uplink_with_zero_received_at_uses_the_message_time() -> None:
    uplink = tts({"fill_level": 40})
    uplink["uplink_message"]["received_at"] = "0001-01-01T00:00:00Z"
    uplink["simulated"] = True
    assert decode(TTS_TOPIC, uplink)[0].ts_ms == NOW_MS - 1588


def test_tts_normalized_payload_when_no_decoded_payload() -> None:
    uplink = tts({})
    del uplink["uplink_message"]["decoded_payload"]
    uplink["uplink_message"]["normalized_payload"] = [{"air": {"temperature": 21.3, "relativeHumidity": 40}}]
    assert decode(TTS_TOPIC, uplink)[0].metrics == {"temp_c": 21.3}


def test_chirpstack_status_event_gives_the_battery_level() -> None:
    status = {"deduplicationId": "6ad2c0e4", "time": "2024-06-01T11:59:00+00:00",
              "deviceInfo": CHIRPSTACK_UPLINK["deviceInfo"], "margin": 7,
              "externalPowerSource": False, "batteryLevelUnavailable": False, "batteryLevel": 74.8}
    assert decode(CHIRPSTACK_TOPIC, status) == [
        Measurement("W-P-012", "water", NOW_MS - 60_000, {"battery_pct": 74.8})]


@pytest.mark.parametrize(
    ("extra", "kind"),
    [({"devAddr": "01c2a3b4"}, "join"), ({"queueItemId": "q1", "acknowledged": True, "fCntDown": 3}, "ack"),
     ({"downlinkId": 42, "txInfo": {}}, "txack"), ({"level": "ERROR", "code": "UPLINK_CODEC"}, "log")],
)
def test_chirpstack_other_events_say_what_they_are(extra: dict, kind: str) -> None:
    event = {"time": "2024-06-01T11:59:00+00:00", "deviceInfo": CHIRPSTACK_UPLINK["deviceInfo"], **extra}
    refused = refusal(CHIRPSTACK_TOPIC, event)
    assert refused.reason == Reason.NO_METRICS and f"ChirpStack {kind} event" in refused.detail


def test_dragino_ldds75_distance_becomes_fill_level_from_the_container_depth() -> None:
    # 1.2 m deep (profile default), waste 0.3 m under the sensor: 75 % full; 3.3 V battery is half.
    decoded = {"Bat": 3.3, "Distance": 300, "Interrupt_flag": 0, "TempC_DS18B20": "21.50", "Sensor_flag": 1}
    readings = decode(TTS_TOPIC, tts(decoded, model="dragino/ldds75"))
    assert readings[0].metrics == {"battery_pct": 50.0, "fill_pct": 75.0, "temp_c": 21.5}


def test_dragino_lht65_text_temperature_through_its_profile_and_refused_without() -> None:
    decoded = {"BatV": 3.05, "TempC_DS": "85.00", "TempC_SHT": "24.10", "Hum_SHT": "40.2",
               "Ext_sensor": "Temperature Sensor"}
    assert decode(TTS_TOPIC, tts(decoded, model="dragino/lht65"))[0].metrics == {"battery_pct": 8.333, "temp_c": 85.0}
    refused = refusal(TTS_TOPIC, tts({"TempC_DS": "85.00"}))
    assert refused.reason == Reason.WRONG_TYPE and "device profile" in refused.detail


def test_value_unit_pairs_of_vendor_decoders() -> None:
    decoded = {"temperature": {"value": 295.15, "unit": "K"}, "fill": {"value": 12, "unit": "%"}}
    readings = decode(TTS_TOPIC, tts(decoded))
    assert readings[0].metrics == {"temp_c": 22.0, "fill_pct": 12}


# -- SenML (RFC 8428) and LwM2M ----------------------------------------------------------------------------


def test_senml_lwm2m_ipso_resources() -> None:
    pack = [{"bn": "urn:dev:hv:W-P-012:/3323/0/", "n": "5700", "u": "kPa", "v": 312.5},
            {"bn": "urn:dev:hv:W-P-012:/3/0/", "n": "9", "v": 81}]
    assert decode("hv/v1/in/senml/lwm2m", pack)[0].metrics == {"pressure_bar": 3.125, "battery_pct": 81}


def test_senml_rfc8428_temperature_in_kelvin() -> None:
    pack = [{"bn": "urn:dev:ow:10e2073a01080063:", "n": "temperature", "u": "K", "v": 294.3}]
    refused = refusal("hv/v1/in/senml/x", pack)
    # A flow meter has no temperature: nothing maps, and the detail lists the field.
    assert refused.reason == Reason.NO_METRICS and "temperature" in refused.detail
