"""Routing by topic, the subscriptions the engine needs, payload limits, and the rejection reasons."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from feeds.decoding import DEFAULT_FOREIGN_TOPICS, Decoder, default_foreign_topics
from feeds.model import Measurement, Message, StatusUpdate
from feeds.rejection import Reason, Rejected
from feeds.topics import Topics, training_root
from tests.decoding_fixtures import NOW_MS, FixedClock, city_inventory, make_decoder, message

PRESSURE_PACK = [{"n": "urn:dev:hv:W-P-012:pressure", "u": "bar", "v": 3.0}]


def reason_of(decoder: Decoder, msg: Message) -> Rejected:
    with pytest.raises(Rejected) as caught:
        decoder.decode(msg)
    return caught.value


def test_default_subscriptions_cover_v1_and_every_foreign_format() -> None:
    assert make_decoder().subscriptions() == [
        "hv/v1/+/+/telemetry",
        "hv/v1/+/+/status",
        "hv/v1/in/senml/#",
        "hv/v1/in/ngsi-ld/#",
        "hv/v1/in/tts/#",
        "hv/v1/in/chirpstack/#",
    ]
    assert default_foreign_topics(Topics()) == DEFAULT_FOREIGN_TOPICS


def test_training_decoder_only_hears_its_own_root() -> None:
    root = training_root("s1")
    decoder = Decoder(city_inventory(), Topics(root), FixedClock())
    assert f"{root}/in/senml/#" in decoder.subscriptions()
    doc = {"ts": NOW_MS, "metrics": {"on": True}}
    assert decoder.decode(message(f"{root}/lighting/L-000001/telemetry", doc))[0].asset_id == "L-000001"
    live = reason_of(decoder, message("hv/v1/lighting/L-000001/telemetry", doc))
    assert live.reason == Reason.UNKNOWN_TOPIC


def test_configured_foreign_filters_replace_the_defaults() -> None:
    decoder = make_decoder(foreign_topics={"city/sensors/+/senml": "senml"})
    assert decoder.subscriptions()[2:] == ["city/sensors/+/senml"]
    assert decoder.decode(message("city/sensors/north/senml", PRESSURE_PACK))[0].metrics == {"pressure_bar": 3.0}
    assert reason_of(decoder, message("hv/v1/in/senml/x", PRESSURE_PACK)).reason == Reason.UNKNOWN_TOPIC


@pytest.mark.parametrize(
    ("foreign", "error"),
    [({"hv/v1/in/xml/#": "xml"}, "unknown payload format"), ({"hv/v1/in/#/senml": "senml"}, "'#'")],
)
def test_bad_foreign_configuration_fails_at_start(foreign: dict[str, str], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        make_decoder(foreign_topics=foreign)


def test_status_and_telemetry_of_the_same_asset() -> None:
    decoder = make_decoder()
    status = decoder.decode(message("hv/v1/water/W-P-012/status", {"online": True}))
    telemetry = decoder.decode(message("hv/v1/water/W-P-012/telemetry", {"metrics": {"pressure_bar": 3.4}}))
    assert status == [StatusUpdate("W-P-012", "water", NOW_MS, True)]
    assert telemetry == [Measurement("W-P-012", "water", NOW_MS, {"pressure_bar": 3.4})]


def test_v1_topic_may_name_the_asset_by_alias() -> None:
    reading = make_decoder().decode(message("hv/v1/waste/bin-sensor-0101/telemetry", {"metrics": {"fill_pct": 40}}))
    assert reading[0].asset_id == "W-C-0101"


@pytest.mark.parametrize(
    ("topic", "reason", "asset_id"),
    [
        ("hv/v1/lighting/L-999999/telemetry", Reason.UNKNOWN_ASSET, "L-999999"),
        ("hv/v1/water/L-000001/telemetry", Reason.DOMAIN_MISMATCH, "L-000001"),
        ("hv/v1/lighting/L-000001/telemetry/extra", Reason.UNKNOWN_TOPIC, None),
        ("hv/v1/lighting/L-000001/metrics", Reason.UNKNOWN_TOPIC, None),
        ("hv/v1/alarms/a-1", Reason.UNKNOWN_TOPIC, None),
        ("elsewhere/lighting/L-000001/telemetry", Reason.UNKNOWN_TOPIC, None),
    ],
)
def test_routing_rejections(topic: str, reason: Reason, asset_id: str | None) -> None:
    rejected = reason_of(make_decoder(), message(topic, {"metrics": {"on": True}}))
    assert (rejected.reason, rejected.asset_id) == (reason, asset_id)
    assert rejected.detail


def test_oversize_is_checked_before_parsing() -> None:
    decoder = make_decoder(max_payload_bytes=1024)
    rejected = reason_of(decoder, Message("hv/v1/lighting/L-000001/telemetry", b"{" * 1025))
    assert (rejected.reason, rejected.asset_id) == (Reason.OVERSIZE, "L-000001")
    assert "1025 bytes" in rejected.detail
    accepted = decoder.decode(message("hv/v1/lighting/L-000001/telemetry", {"metrics": {"note": "x" * 100}}))
    assert accepted[0].metrics["note"] == "x" * 100


def test_oversize_foreign_payload() -> None:
    big = PRESSURE_PACK * 3000
    assert reason_of(make_decoder(), message("hv/v1/in/senml/x", big)).reason == Reason.OVERSIZE


def test_future_limit_is_configurable() -> None:
    decoder = make_decoder(max_future_ms=1000)
    doc = {"ts": NOW_MS + 2000, "metrics": {"on": True}}
    assert reason_of(decoder, message("hv/v1/lighting/L-000001/telemetry", doc)).reason == Reason.FUTURE_TIMESTAMP


def test_a_rejection_does_not_disturb_the_next_message() -> None:
    decoder = make_decoder()
    topic = "hv/v1/lighting/L-000001/telemetry"
    reason_of(decoder, Message(topic, b"not json"))
    assert decoder.decode(message(topic, {"metrics": {"on": False}}))[0].metrics == {"on": False}


def test_arrival_time_follows_the_clock() -> None:
    clock = FixedClock()
    decoder = Decoder(city_inventory(), clock=clock)
    topic = "hv/v1/lighting/L-000001/telemetry"
    clock.now = NOW_MS + 60_000
    assert decoder.decode(message(topic, {"metrics": {"on": True}}))[0].ts_ms == NOW_MS + 60_000


EVERY_REASON: dict[Reason, Message] = {
    Reason.BAD_JSON: Message("hv/v1/lighting/L-000001/telemetry", b"{'on': true}"),
    Reason.BAD_SCHEMA: message("hv/v1/lighting/L-000001/telemetry", {"on": True}),
    Reason.WRONG_TYPE: message("hv/v1/lighting/L-000001/status", {"online": "true"}),
    Reason.NOT_FINITE: Message("hv/v1/water/W-P-012/telemetry", b'{"metrics": {"pressure_bar": 2e308}}'),
    Reason.UNKNOWN_ASSET: message("hv/v1/in/ngsi-ld/x", {"id": "urn:ngsi-ld:Streetlight:x:1", "powerState": "on"}),
    Reason.DOMAIN_MISMATCH: message("hv/v1/heating/W-P-012/telemetry", {"metrics": {"pressure_bar": 3}}),
    Reason.FUTURE_TIMESTAMP: message("hv/v1/water/W-P-012/telemetry", {"ts": "2099-01-01", "metrics": {"p": 1}}),
    Reason.BAD_TIMESTAMP: message("hv/v1/water/W-P-012/telemetry", {"ts": 0, "metrics": {"pressure_bar": 3}}),
    Reason.OVERSIZE: Message("hv/v1/water/W-P-012/telemetry", b" " * 65537),
    Reason.UNKNOWN_TOPIC: message("hv/v1/water/W-P-012", {"metrics": {"pressure_bar": 3}}),
    Reason.NO_METRICS: message("hv/v1/in/senml/x", [{"n": "urn:dev:hv:W-P-012:humidity", "u": "%RH", "v": 50}]),
    Reason.OUT_OF_RANGE: message("hv/v1/water/W-P-012/telemetry", {"metrics": {"pressure_bar": 74}}),
    Reason.UNKNOWN_UNIT: message("hv/v1/in/senml/x", [{"n": "urn:dev:hv:W-P-012:pressure", "u": "inHg", "v": 9}]),
    Reason.UNKNOWN_STATE: message("hv/v1/in/ngsi-ld/x", {"id": "urn:ngsi-ld:Streetlight:L-000001", "status": "meh"}),
}


def test_every_reason_has_an_example() -> None:
    assert set(EVERY_REASON) == set(Reason)


@pytest.mark.parametrize("reason", list(Reason))
def test_each_reason_is_produced_with_a_readable_detail(reason: Reason) -> None:
    rejected = reason_of(make_decoder(), EVERY_REASON[reason])
    assert rejected.reason == reason
    assert len(rejected.detail) > 10
    assert str(rejected).startswith(f"{reason}: ")


def test_every_example_of_the_integrator_page_decodes() -> None:
    page = (Path(__file__).parents[1] / "docs" / "payloads.md").read_text(encoding="utf-8")
    examples = re.findall(r"```json\n(.*?)```", page, re.DOTALL)
    topics = [
        "hv/v1/lighting/L-000001/telemetry",
        "hv/v1/lighting/L-000001/status",
        "hv/v1/in/senml/doc",
        "hv/v1/in/ngsi-ld/doc",
        "hv/v1/in/tts/doc",
        "hv/v1/in/chirpstack/doc",
    ]
    decoder = make_decoder()
    pairs = zip(topics, examples, strict=True)
    counts = [len(decoder.decode(message(topic, orjson.loads(example)))) for topic, example in pairs]
    assert counts == [1, 1, 3, 1, 1, 1]


def test_a_batch_keeps_every_good_message_and_says_why_each_bad_one_is_refused() -> None:
    good = [message("hv/v1/water/W-P-012/telemetry", {"metrics": {"pressure_bar": 3.4}}),
            message("hv/v1/water/W-P-012/status", {"online": True}),
            message("city/sensors/north/senml", PRESSURE_PACK)]
    bad = [Message("hv/v1/water/W-P-012/telemetry", b"{not json"),
           message("hv/v1/water/NO-SUCH/telemetry", {"metrics": {"pressure_bar": 3.4}}),
           message("hv/v1/water/W-P-012/telemetry", {"metrics": {}})]
    decoder = Decoder(city_inventory(), Topics(), FixedClock(), foreign_topics={"city/sensors/+/senml": "senml"})

    readings, rejected = decoder.decode_all([bad[0], good[0], bad[1], good[1], bad[2], good[2]])

    assert [type(r) for r in readings] == [Measurement, StatusUpdate, Measurement]
    assert [r.metrics for r in readings if type(r) is Measurement] == [{"pressure_bar": 3.4}, {"pressure_bar": 3.0}]
    assert [(m, e.reason) for m, e in rejected] == [
        (bad[0], Reason.BAD_JSON), (bad[1], Reason.UNKNOWN_ASSET), (bad[2], Reason.NO_METRICS)]
