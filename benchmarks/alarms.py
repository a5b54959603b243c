"""Alarm benchmark: rule evaluation throughput, and publish-to-alarm latency under background load.

1. ``rule_msgs_per_s``: ``AlarmEngine.on_readings`` alone on realistic decoded readings of the full Dijon
   inventory with the default rules, in batches of 1,000 (no transport, no historian).
2. ``alarm_latency_*``: a private mosquitto, the engine as in production (decoder, rules, historian), and
   a separate "field" process that publishes normal telemetry at 5,000 messages/s while a probe, every
   100 ms, publishes a pressure reading below a threshold, then a normal one 50 ms later so that the
   alarm can raise again. The latency runs from the probe's publish to the alarm record arriving at a
   subscriber of ``hv/v1/alarms/+``, both clocks in the field process.

The default pressure rule has a 60 s on-delay (it filters glitches), so the probe uses one more rule of
its own, loaded with the defaults: the same threshold kind without delay, on one sensor only.

    python -m benchmarks.alarms [--samples 300] [--load 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import threading
import time
from pathlib import Path

import orjson
import paho.mqtt.client as paho

from alerts import AlarmEngine
from benchmarks.common import (
    DEFAULT_RULES,
    TOPICS,
    RawPublisher,
    build_engine,
    city_readings,
    dijon,
    rules,
    serving,
    telemetry,
)
from feeds.mosquitto import Mosquitto

PROBE_ASSET = "W-P-001"
PROBE_RULE = "bench_probe_pressure"
PROBE_RULES = f"""
[[rule]]
id = "{PROBE_RULE}"
description = "Benchmark probe: pressure below 1 bar on one sensor, no on-delay"
priority = "high"
kind = "threshold"
target = {{ domain = "water", kind = "pressure_sensor", id = "{PROBE_ASSET}" }}
metric = "pressure_bar"
lo = 1.0
"""
PERIOD_S = 0.1


def rule_throughput(batch: int = 1000, passes: int = 3) -> tuple[float, int]:
    """Median readings/s through ``on_readings`` over a few passes on 100,000 readings."""
    inventory = dijon()
    readings = city_readings(inventory, 100_000)
    engine = AlarmEngine(inventory, rules([DEFAULT_RULES]), lambda: time.time_ns() // 1_000_000)
    rates = []
    for _ in range(passes):
        started = time.perf_counter()
        for start in range(0, len(readings), batch):
            engine.on_readings(readings[start : start + batch])
        rates.append(len(readings) / (time.perf_counter() - started))
    return statistics.median(rates), len(inventory)


def field(port: int, load: list[tuple[str, bytes]], rate: float, samples: int,
          results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """The field process: background telemetry, the probe, and the alarm subscriber."""
    stop = threading.Event()
    sent = [0, 0]
    loader = threading.Thread(target=_background, args=(port, load, rate, stop, sent), daemon=True)
    loader.start()
    arrivals: dict[float, float] = {}
    arrived = threading.Condition()

    def on_message(client: paho.Client, userdata: object, message: paho.MQTTMessage) -> None:
        now = time.perf_counter()
        if not message.payload:
            return
        record = orjson.loads(message.payload)
        if record.get("alarm_id") == f"{PROBE_RULE}:{PROBE_ASSET}" and record.get("active"):
            with arrived:
                arrivals.setdefault(record["value"], now)
                arrived.notify_all()

    # A device publishes, a console subscribes: two connections, as in the field.
    console = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id="bench-console", protocol=paho.MQTTv311)
    console.on_message = on_message
    console.connect("127.0.0.1", port)
    console.subscribe(TOPICS.all_alarms, 1)
    console.loop_start()
    probe = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id="bench-probe", protocol=paho.MQTTv311)
    probe.connect("127.0.0.1", port)
    probe.loop_start()
    topic = TOPICS.telemetry("water", PROBE_ASSET)
    time.sleep(2.0)  # the load settles first
    started = time.perf_counter()
    sent_at: dict[float, float] = {}
    missed = 0
    for i in range(samples):
        tick = started + i * PERIOD_S
        _sleep_until(tick)
        value = round(0.1 + (i % 800) / 1000, 3)
        sent_at[value] = time.perf_counter()
        probe.publish(topic, _reading(value), qos=1)
        with arrived:
            if not arrived.wait_for(lambda v=value: v in arrivals, timeout=PERIOD_S / 2):
                missed += 1
        _sleep_until(tick + PERIOD_S / 2)
        probe.publish(topic, _reading(4.5), qos=1)
    time.sleep(1.0)
    stop.set()
    loader.join()
    for client in (probe, console):
        client.disconnect()
        client.loop_stop()
    latencies = [(arrivals[v] - t) * 1000 for v, t in sent_at.items() if v in arrivals]
    results.put((latencies, missed, sent[1]))


def _reading(value: float) -> bytes:
    return orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"pressure_bar": value}})


def _sleep_until(at: float) -> None:
    delay = at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)


def _background(port: int, load: list[tuple[str, bytes]], rate: float, stop: threading.Event,
                sent: list[int]) -> None:
    """Publish ``load`` round and round at ``rate`` messages/s, in 10 ms slices; ``sent`` gets the count
    and, at the end, the rate achieved."""
    from feeds.model import Message

    messages = [Message(topic, payload, False, 1) for topic, payload in load]
    publisher = RawPublisher(port, "bench-load")
    per_slice = max(1, round(rate / 100))
    started = time.perf_counter()
    position = 0
    while not stop.is_set():
        chunk = messages[position : position + per_slice] or messages[:per_slice]
        position = (position + per_slice) % len(messages)
        publisher.send(chunk)
        sent[0] += len(chunk)
        _sleep_until(started + sent[0] / rate)
    sent[1] = round(sent[0] / (time.perf_counter() - started))
    publisher.close()


async def latency_run(broker: Mosquitto, tmp: Path, samples: int, rate: float) -> tuple[list[float], int, float]:
    inventory = dijon()
    probe_rules = tmp / "probe.toml"
    probe_rules.write_text(PROBE_RULES)
    ruleset = rules([DEFAULT_RULES, probe_rules])
    load = [(m.topic, m.payload) for m in telemetry(city_readings(inventory, 50_000))]
    engine = build_engine(broker.url, "bench-engine-alarms", inventory, ruleset, tmp / "alarms.sqlite")
    async with serving(engine):
        await asyncio.wait_for(engine.ready.wait(), 30)
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        process = context.Process(target=field, args=(broker.port, load, rate, samples, results))
        process.start()
        latencies, missed, achieved = await asyncio.to_thread(results.get, True, samples * PERIOD_S * 3 + 60)
        await asyncio.to_thread(process.join, 10)
    return latencies, missed, achieved


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--load", type=float, default=5000.0, help="background telemetry, messages/s")
    args = parser.parse_args()

    rule_rate, assets = rule_throughput()
    print(f"# rule evaluation: {assets} assets, default rules, batches of 1000 readings", flush=True)
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        latencies, missed, achieved = asyncio.run(latency_run(broker, Path(tmp), args.samples, args.load))
    print(f"rule_msgs_per_s={rule_rate:.0f}")
    print(f"alarm_latency_p50_ms={statistics.median(latencies):.1f}")
    print(f"alarm_latency_p99_ms={_percentile(latencies, 0.99):.1f}")
    print(f"alarm_latency_max_ms={max(latencies):.1f}")
    print(f"alarm_latency_samples={len(latencies)} (late beyond {PERIOD_S * 500:.0f} ms: {missed})")
    print(f"background_msgs_per_s={achieved:.0f}")


if __name__ == "__main__":
    main()
