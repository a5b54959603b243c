"""Thousands of malformed payloads interleaved with valid ones: only ``Rejected`` ever escapes, each with a
reason, and every valid message still decodes to exactly what was sent."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import orjson
import pytest

from feeds.codecs import V1Codec
from feeds.codecs.timestamps import EPOCH_2000_MS
from feeds.decoding import Decoder
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement, Message, Reading, StatusUpdate
from feeds.rejection import Reason, Rejected
from tests.decoding_fixtures import NOW_MS, WASTE_URN, city_inventory, make_decoder

SEED = 20240601
ROUNDS = 4000
MAX_FUTURE_MS = 300_000

KIND_VALUES: dict[str, Callable[[random.Random], dict[str, object]]] = {
    "luminaire": lambda r: {"on": r.random() < 0.5, "dim_pct": r.randint(0, 100), "power_w": r.uniform(0, 80)},
    "cabinet": lambda r: {"mains": r.random() < 0.9, "power_kw": round(r.uniform(0, 30), 3), "voltage_v": 230},
    "building": lambda r: {"temp_c": round(r.uniform(12, 26), 1), "occupied": r.random() < 0.5},
    "boiler": lambda r: {"supply_temp_c": round(r.uniform(40, 80), 1), "running": True, "fault": False},
    "container": lambda r: {"fill_pct": r.randint(0, 100), "battery_pct": r.randint(5, 100)},
    "pressure_sensor": lambda r: {"pressure_bar": round(r.uniform(0.5, 6), 3)},
    "flow_meter": lambda r: {"flow_m3h": round(r.uniform(0, 400), 2)},
    "reservoir": lambda r: {"level_pct": round(r.uniform(0, 100), 1)},
    "quality_probe": lambda r: {"chlorine_mgl": round(r.uniform(0, 1), 3), "ph": round(r.uniform(6, 9), 2)},
}

Expected = list[Reading]
Case = tuple[Message, Expected | Reason | None]
"""A message and what must come out: its readings, a specific reason, or any rejection (None)."""


ORJSON_MAX_DEPTH = 1024  # orjson refuses deeper documents outright


class City:
    """Builds valid and invalid messages from the test inventory."""

    def __init__(self, rng: random.Random, inventory: Inventory) -> None:
        self.rng = rng
        self.assets = list(inventory)

    def valid(self) -> Case:
        return self.rng.choice([self.v1_telemetry, self.v1_telemetry, self.v1_status, self.senml, self.ngsi])()

    def v1_telemetry(self) -> Case:
        asset = self.rng.choice(self.assets)
        metrics = KIND_VALUES[asset.kind](self.rng)
        ts = NOW_MS - self.rng.randint(0, 3_600_000)
        doc: dict[str, object] = {"metrics": metrics}
        style = self.rng.randrange(3)
        if style == 0:
            doc["ts"] = ts
        elif style == 1:
            ts -= ts % 1000
            doc["ts"] = datetime.fromtimestamp(ts / 1000, tz=UTC).isoformat()
        else:
            ts = NOW_MS
        topic = f"hv/v1/{asset.domain}/{asset.id}/telemetry"
        return Message(topic, orjson.dumps(doc)), [Measurement(asset.id, asset.domain, ts, metrics)]

    def v1_status(self) -> Case:
        asset = self.rng.choice(self.assets)
        online = self.rng.random() < 0.5
        ts = NOW_MS - self.rng.randint(0, 86_400_000)
        topic = f"hv/v1/{asset.domain}/{asset.id}/status"
        expected = StatusUpdate(asset.id, asset.domain, ts, online)
        return Message(topic, orjson.dumps({"ts": ts, "online": online})), [expected]

    def senml(self) -> Case:
        kpa = round(self.rng.uniform(50, 600), 1)
        seconds_ago = self.rng.randint(0, 3600)
        bt = NOW_MS // 1000 - seconds_ago
        pack = [{"bn": "urn:dev:hv:W-P-012:", "bt": bt, "n": "pressure", "u": "kPa", "v": kpa}]
        expected = Measurement("W-P-012", "water", NOW_MS - seconds_ago * 1000, {"pressure_bar": round(kpa / 100, 9)})
        return Message("hv/v1/in/senml/gw", orjson.dumps(pack)), [expected]

    def ngsi(self) -> Case:
        fraction = round(self.rng.random(), 2)
        entity = {"id": WASTE_URN, "type": "WasteContainer", "fillingLevel": {"type": "Property", "value": fraction}}
        expected = Measurement("W-C-0101", "waste", NOW_MS, {"fill_pct": round(fraction * 100, 9)})
        return Message("hv/v1/in/ngsi-ld/broker", orjson.dumps(entity)), [expected]

    def invalid(self) -> Case:
        return self.rng.choice(
            [
                self.random_bytes,
                self.truncated,
                self.wrong_type,
                self.not_a_number_literal,
                self.overflowing_number,
                self.deep_nesting,
                self.long_string,
                self.oversize,
                self.unknown_asset,
                self.future,
                self.bad_name,
                self.mutated,
            ]
        )()

    def random_bytes(self) -> Case:
        message, _ = self.v1_telemetry()
        return Message(message.topic, self.rng.randbytes(self.rng.randint(0, 300))), None

    def truncated(self) -> Case:
        message, _ = self.valid()
        return Message(message.topic, message.payload[: self.rng.randrange(len(message.payload))]), Reason.BAD_JSON

    def _telemetry_with(self, metrics: str | bytes, ts: int | None = None) -> Message:
        asset = self.rng.choice(self.assets)
        head = b"" if ts is None else b'"ts": %d, ' % ts
        body = metrics.encode() if isinstance(metrics, str) else metrics
        return Message(f"hv/v1/{asset.domain}/{asset.id}/telemetry", b"{" + head + b'"metrics": ' + body + b"}")

    def wrong_type(self) -> Case:
        value = self.rng.choice(["null", "[1, 2]", '{"v": 1}', "[]", "{}"])
        return self._telemetry_with('{"x": 1, "bad": ' + value + "}"), Reason.WRONG_TYPE

    def not_a_number_literal(self) -> Case:
        literal = self.rng.choice(["NaN", "Infinity", "-Infinity", "nan", "inf"])
        return self._telemetry_with('{"x": ' + literal + "}"), Reason.BAD_JSON

    def overflowing_number(self) -> Case:
        number = f"{self.rng.choice(['', '-'])}1e{self.rng.randint(309, 9999)}"
        return self._telemetry_with('{"x": ' + number + "}"), Reason.NOT_FINITE

    def deep_nesting(self) -> Case:
        depth = self.rng.choice([self.rng.randint(100, 1000), self.rng.randint(1100, 9000)])
        opening, closing = self.rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
        nested = opening * depth + b"0" * (opening == b'{"a":') + closing * depth
        if depth > ORJSON_MAX_DEPTH:
            return self._telemetry_with(b'{"x": ' + nested + b"}"), Reason.BAD_JSON
        if self.rng.random() < 0.5:
            message, _ = self.v1_telemetry()
            return Message(message.topic, nested), Reason.BAD_SCHEMA
        return self._telemetry_with(b'{"x": ' + nested + b"}"), Reason.WRONG_TYPE

    def long_string(self) -> Case:
        return self._telemetry_with(orjson.dumps({"note": "é" * self.rng.randint(129, 5000)})), Reason.WRONG_TYPE

    def oversize(self) -> Case:
        return self._telemetry_with(orjson.dumps({"note": "a" * self.rng.randint(65_537, 70_000)})), Reason.OVERSIZE

    def unknown_asset(self) -> Case:
        ident = "".join(self.rng.choices("ABCXYZ-0123456789", k=self.rng.randint(1, 12)))
        if self.rng.random() < 0.5:
            return Message(f"hv/v1/water/Q{ident}/telemetry", b'{"metrics": {"x": 1}}'), Reason.UNKNOWN_ASSET
        entity = {"id": f"urn:ngsi-ld:WasteContainer:Q{ident}", "fillingLevel": 0.5}
        return Message("hv/v1/in/ngsi-ld/broker", orjson.dumps(entity)), Reason.UNKNOWN_ASSET

    def future(self) -> Case:
        ts = NOW_MS + MAX_FUTURE_MS + self.rng.randint(1, 10 * 365 * 86_400_000)
        return self._telemetry_with('{"x": 1}', ts), Reason.FUTURE_TIMESTAMP

    def bad_name(self) -> Case:
        name = self.rng.choice(["", "a b", "x" * 65, "dim%", "é", "a/b", "on\n"])
        return self._telemetry_with(orjson.dumps({name: 1})), Reason.BAD_SCHEMA

    def mutated(self) -> Case:
        message, _ = self.valid()
        payload = bytearray(message.payload)
        for _ in range(self.rng.randint(1, 4)):
            position = self.rng.randrange(len(payload))
            operation = self.rng.randrange(3)
            if operation == 0:
                payload[position] = self.rng.randrange(256)
            elif operation == 1:
                del payload[position]
            else:
                payload.insert(position, self.rng.choice(b'{}[]",:0123456789.-e truefalsenul'))
        return Message(message.topic, bytes(payload)), None


def assert_plausible(readings: list[Reading], assets: dict[str, Asset]) -> None:
    """Whatever is accepted names a real asset, in its domain, at an acceptable time, with clean values."""
    for reading in readings:
        asset = assets[reading.asset_id]
        assert reading.domain == asset.domain
        assert EPOCH_2000_MS <= reading.ts_ms <= NOW_MS + MAX_FUTURE_MS
        if isinstance(reading, Measurement):
            assert reading.metrics
            for value in reading.metrics.values():
                assert isinstance(value, bool | int | float | str)
                assert not isinstance(value, float) or math.isfinite(value)
                assert not isinstance(value, str) or len(value) <= 128


def test_malformed_payloads_never_escape_as_anything_but_rejected() -> None:
    rng = random.Random(SEED)
    decoder: Decoder = make_decoder(max_future_ms=MAX_FUTURE_MS)
    city = City(rng, city_inventory())
    assets = {asset.id: asset for asset in city.assets}
    outcomes: Counter[str] = Counter()
    for round_number in range(ROUNDS):
        message, expected = city.valid() if round_number % 3 == 0 else city.invalid()
        try:
            readings = decoder.decode(message)
        except Rejected as rejected:
            assert isinstance(rejected.reason, Reason), message
            assert rejected.detail, message
            assert expected is None or expected == rejected.reason, (message, rejected)
            assert not isinstance(expected, list), (message, rejected)
            outcomes[rejected.reason] += 1
            continue
        assert not isinstance(expected, Reason), (message, readings)
        if isinstance(expected, list):
            assert readings == expected, message
        assert_plausible(readings, assets)
        outcomes["accepted"] += 1
    assert outcomes["accepted"] >= ROUNDS // 3
    assert {Reason.BAD_JSON, Reason.WRONG_TYPE, Reason.NOT_FINITE, Reason.OVERSIZE} <= set(outcomes)


def test_the_fast_v1_path_accepts_only_what_the_checks_accept_with_the_same_values() -> None:
    """msgspec's one-pass decoding of v1 telemetry either steps aside or agrees exactly with orjson and
    the checks, on valid payloads and on every kind of malformed one."""
    rng = random.Random(SEED + 1)
    inventory = city_inventory()
    codec = V1Codec(MAX_FUTURE_MS)
    city = City(rng, inventory)
    fast_ones = 0
    for round_number in range(ROUNDS):
        message, _ = city.valid() if round_number % 3 == 0 else city.invalid()
        levels = message.topic.split("/")
        if levels[-1] != "telemetry" or levels[3] not in inventory:
            continue
        asset = inventory[levels[3]]
        fast = codec.fast_telemetry(message.payload, asset, NOW_MS)
        try:
            reference: Reading | Rejected = codec.telemetry(orjson.loads(message.payload), asset, NOW_MS)
        except (orjson.JSONDecodeError, Rejected) as exc:
            reference = exc if isinstance(exc, Rejected) else Rejected(Reason.BAD_JSON, str(exc))
        if fast is None:
            continue
        fast_ones += 1
        assert fast == reference, message
        assert {k: type(v) for k, v in fast.metrics.items()} == {
            k: type(v) for k, v in reference.metrics.items()
        }, message
    assert fast_ones >= ROUNDS // 20


@pytest.mark.parametrize("topic", ["hv/v1/in/senml/x", "hv/v1/in/ngsi-ld/x", "hv/v1/in/tts/x", "hv/v1/in/chirpstack/x"])
def test_foreign_codecs_survive_arbitrary_json_shapes(topic: str) -> None:
    rng = random.Random(SEED)
    decoder = make_decoder()
    atoms: list[object] = [None, True, 0, -1.5, "", "urn:dev:hv:W-P-012", WASTE_URN, "W-P-012", "2024-06-01T11:00:00Z"]
    keys = [
        "n",
        "bn",
        "v",
        "vb",
        "t",
        "bt",
        "u",
        "id",
        "type",
        "data",
        "value",
        "observedAt",
        "deviceInfo",
        "devEui",
        "object",
        "end_device_ids",
        "uplink_message",
        "decoded_payload",
        "pressure",
        "fillingLevel",
    ]

    def shape(depth: int) -> object:
        roll = rng.random()
        if depth > 4 or roll < 0.4:
            return rng.choice(atoms)
        if roll < 0.6:
            return [shape(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(keys): shape(depth + 1) for _ in range(rng.randint(0, 5))}

    for _ in range(400):
        try:
            readings = decoder.decode(Message(topic, orjson.dumps(shape(0))))
        except Rejected as rejected:
            assert isinstance(rejected.reason, Reason)
            continue
        assert_plausible(readings, {asset.id: asset for asset in city_inventory()})
