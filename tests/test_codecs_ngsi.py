"""FIWARE Smart Data Models over NGSI-LD on hv/v1/in/ngsi-ld/#.

The Streetlight, WasteContainer and WaterQualityObserved documents below follow the models' published
examples (dataModel.Streetlighting, dataModel.WasteManagement, dataModel.WaterQuality).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from feeds.model import Measurement
from feeds.rejection import Reason, Rejected
from tests.decoding_fixtures import NOW_MS, STREETLIGHT_URN, WASTE_URN, WATER_URN, make_decoder, message

TOPIC = "hv/v1/in/ngsi-ld/orion"
STREETLIGHT_CONTEXT = (
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Streetlighting/master/context.jsonld"
)

STREETLIGHT_NORMALIZED: dict[str, Any] = {
    "id": STREETLIGHT_URN,
    "type": "Streetlight",
    "areaServed": {"type": "Property", "value": "Roundabouts city entrance"},
    "circuit": {"type": "Property", "value": "C-456-A467"},
    "controllingMethod": {"type": "Property", "value": "individual"},
    "current": {"type": "Property", "value": 250},
    "dateLastLampChange": {
        "type": "Property",
        "value": {"@type": "DateTime", "@value": "2016-07-08T08:02:21.753Z"},
    },
    "lanternHeight": {"type": "Property", "value": 10},
    "location": {
        "type": "GeoProperty",
        "value": {"type": "Point", "coordinates": [-3.164485591715449, 40.62785133667262]},
    },
    "municipalityInfo": {"type": "Property", "value": {"district": "Bangalore Urban", "wardNum": 4}},
    "observationDateTime": {
        "type": "Property",
        "value": {"@type": "DateTime", "@value": "2021-01-11T15:51:02+05:30"},
    },
    "powerConsumption": {"type": "Property", "value": 10},
    "powerState": {"type": "Property", "value": "off"},
    "refStreetlightGroup": {
        "type": "Relationship",
        "object": "urn:ngsi-ld:StreetlightGroup:streetlightgroup:G345",
    },
    "status": {"type": "Property", "value": "ok"},
    "voltage": {"type": "Property", "value": 50},
    "@context": [STREETLIGHT_CONTEXT],
}
OBSERVED_2021_MS = 1_610_360_462_000  # 2021-01-11T15:51:02+05:30

STREETLIGHT_KEY_VALUES: dict[str, Any] = {
    "id": STREETLIGHT_URN,
    "type": "Streetlight",
    "circuit": "C-456-A467",
    "location": {"coordinates": [-3.164485591715449, 40.62785133667262], "type": "Point"},
    "observationDateTime": "2021-01-11T15:51:02+05:30",
    "powerState": "on",
    "illuminanceLevel": 0.7,
    "status": "defectiveLamp",
    "@context": [STREETLIGHT_CONTEXT],
}

WATER_QUALITY_NORMALIZED: dict[str, Any] = {
    "id": WATER_URN,
    "type": "WaterQualityObserved",
    "NO3": {"type": "Property", "value": 0.01},
    "conductivity": {"type": "Property", "value": 0.005},
    "dateObserved": {"type": "Property", "value": {"@type": "DateTime", "@value": "2017-01-31T06:45:00Z"}},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [-5.993307, 37.362882]}},
    "measurand": {"type": "Property", "value": ["NO3, 0.01, M1, Concentration of Nitrates"]},
    "pH": {"type": "Property", "value": 7.4},
    "temperature": {"type": "Property", "value": 24.4},
    "flow": {"type": "Property", "value": 127.53},
    "@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"],
}
OBSERVED_2017_MS = 1_485_845_100_000  # 2017-01-31T06:45:00Z


def decode(doc: object) -> list[Measurement]:
    return make_decoder().decode(message(TOPIC, doc))  # type: ignore[return-value]


def rejection(doc: object) -> Rejected:
    with pytest.raises(Rejected) as caught:
        decode(doc)
    return caught.value


def test_streetlight_normalized_power_state_and_status() -> None:
    assert decode(STREETLIGHT_NORMALIZED) == [
        Measurement("L-000001", "lighting", OBSERVED_2021_MS, {"power_w": 10, "on": False, "fault": False})
    ]


def test_streetlight_key_values_dimming_and_defect() -> None:
    assert decode(STREETLIGHT_KEY_VALUES) == [
        Measurement("L-000001", "lighting", OBSERVED_2021_MS, {"on": True, "dim_pct": 70.0, "fault": True})
    ]


def test_water_quality_ph_with_observation_date() -> None:
    # Temperature, flow and nitrates are not metrics of a quality probe; pH is.
    assert decode(WATER_QUALITY_NORMALIZED) == [Measurement("W-Q-007", "water", OBSERVED_2017_MS, {"ph": 7.4})]


def test_water_quality_turbidity_and_free_chlorine_with_units_and_observed_at() -> None:
    entity = {
        "id": WATER_URN,
        "type": "WaterQualityObserved",
        "turbidity": {"type": "Property", "value": 0.8, "observedAt": "2024-06-01T11:55:00Z"},
        "freeChlorine": {"type": "Property", "value": 0.35, "unitCode": "M1", "observedAt": "2024-06-01T11:55:00Z"},
        "Cl-": {"type": "Property", "value": 25.0, "observedAt": "2024-06-01T11:55:00Z"},
    }
    assert decode(entity) == [
        Measurement("W-Q-007", "water", NOW_MS - 300_000, {"turbidity_ntu": 0.8, "chlorine_mgl": 0.35})
    ]


def test_waste_container_filling_level_fraction_becomes_percent() -> None:
    entity = {
        "id": WASTE_URN,
        "type": "WasteContainer",
        "fillingLevel": {"type": "Property", "value": 0.82, "observedAt": "2024-06-01T11:50:00Z"},
        "temperature": {"type": "Property", "value": 21.5, "observedAt": "2024-06-01T11:50:00Z"},
        "status": {"type": "Property", "value": "ok"},
        "storedWasteKind": {"type": "Property", "value": ["paper"]},
    }
    # status has no observedAt: it is the container's state now, not part of the 11:50 observation.
    assert decode(entity) == [
        Measurement("W-C-0101", "waste", NOW_MS - 600_000, {"fill_pct": 82.0, "temp_c": 21.5}),
        Measurement("W-C-0101", "waste", NOW_MS, {"fire": False, "lid_open": False}),
    ]


def test_waste_container_key_values_as_published() -> None:
    entity = {
        "id": WASTE_URN,
        "type": "WasteContainer",
        "binCapacity": 43,
        "binFillingLevel": 0.65,
        "binLoggedTime": "2021-03-01T15:51:02+05:30",
        "location": {"coordinates": [-8.76846, 42.60214472222222], "type": "Point"},
        "@context": [
            "https://raw.githubusercontent.com/smart-data-models/dataModel.WasteManagement/master/context.jsonld"
        ],
    }
    assert decode(entity) == [Measurement("W-C-0101", "waste", NOW_MS, {"fill_pct": 65.0})]


def test_notification_with_several_entities_uses_notified_at_by_default() -> None:
    notification = {
        "id": "urn:ngsi-ld:Notification:5fd0fa684eb81930c97005f3",
        "type": "Notification",
        "subscriptionId": "urn:ngsi-ld:Subscription:hv-lighting",
        "notifiedAt": "2024-06-01T11:59:30.000Z",
        "data": [
            {
                "id": "urn:ngsi-ld:Streetlight:L-000002",
                "type": "Streetlight",
                "powerState": {"type": "Property", "value": "on"},
            },
            WATER_QUALITY_NORMALIZED,
        ],
    }
    assert decode(notification) == [
        Measurement("L-000002", "lighting", NOW_MS - 30_000, {"on": True}),
        Measurement("W-Q-007", "water", OBSERVED_2017_MS, {"ph": 7.4}),
    ]


def test_expanded_attribute_names_are_understood() -> None:
    entity = {
        "id": STREETLIGHT_URN,
        "type": "https://smartdatamodels.org/dataModel.Streetlighting/Streetlight",
        "https://smartdatamodels.org/dataModel.Streetlighting/powerState": {"type": "Property", "value": "on"},
    }
    assert decode(entity)[0].metrics == {"on": True}


def _with(doc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    changed.update(changes)
    return changed


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ("Streetlight", Reason.BAD_SCHEMA),
        (_with(STREETLIGHT_KEY_VALUES, id=None), Reason.BAD_SCHEMA),
        ({"type": "Notification", "data": {"id": STREETLIGHT_URN}}, Reason.BAD_SCHEMA),
        ({"type": "Notification", "data": ["urn:x"]}, Reason.BAD_SCHEMA),
        (_with(STREETLIGHT_KEY_VALUES, id="urn:ngsi-ld:Streetlight:nowhere:1"), Reason.UNKNOWN_ASSET),
        (_with(STREETLIGHT_KEY_VALUES, type="WasteContainer"), Reason.DOMAIN_MISMATCH),
        (_with(STREETLIGHT_KEY_VALUES, illuminanceLevel="bright"), Reason.WRONG_TYPE),
        (_with(STREETLIGHT_KEY_VALUES, observationDateTime="11/01/2021 15:51"), Reason.BAD_TIMESTAMP),
        (_with(STREETLIGHT_KEY_VALUES, observationDateTime="2024-06-01T13:00:00Z"), Reason.FUTURE_TIMESTAMP),
        ({"id": WASTE_URN, "type": "WasteContainer", "binColor": "Green", "wardId": "21"}, Reason.NO_METRICS),
        ({"type": "Notification", "data": []}, Reason.NO_METRICS),
    ],
)
def test_bad_documents_are_rejected(doc: object, reason: Reason) -> None:
    assert rejection(doc).reason == reason


def test_one_unknown_entity_is_refused_alone_and_the_others_are_kept() -> None:
    notification = {
        "type": "Notification",
        "notifiedAt": "2024-06-01T11:59:30Z",
        "data": [STREETLIGHT_KEY_VALUES, {"id": "urn:ngsi-ld:Streetlight:elsewhere:9", "powerState": "on"}],
    }
    readings, rejected = make_decoder().decode_all([message(TOPIC, notification)])
    assert [r.asset_id for r in readings] == ["L-000001"]
    assert [(exc.reason, "elsewhere:9" in exc.detail) for _, exc in rejected] == [(Reason.UNKNOWN_ASSET, True)]


def test_no_metrics_detail_tells_the_integrator_what_we_expected() -> None:
    rejected = rejection({"id": WASTE_URN, "type": "WasteContainer", "binColor": "Green"})
    assert rejected.asset_id == "W-C-0101"
    assert "binColor" in rejected.detail
    assert "fill_pct" in rejected.detail
