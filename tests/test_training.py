"""Training sessions on their own bus: drills run to their end, injections fire on time, trainees are scored."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.bus import InProcessBus
from feeds.inventory import Inventory
from feeds.links import Links
from hypervisor import paths
from hypervisor.historian.reader import HistorianReader
from hypervisor.training.from_incident import write_drill
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession
from tests.training_harness import ScriptedTrainee, drill, play

SHIPPED = sorted(p.stem for p in paths.SCENARIOS.glob("*.toml"))
FAST = 300.0


@pytest.mark.parametrize("name", SHIPPED)
def test_every_drill_runs_to_its_end_and_raises_what_it_expects(name: str, dijon: Inventory, tmp_path: Path) -> None:
    session, bus = drill(name, dijon, tmp_path, FAST)
    asyncio.run(play(session, [ScriptedTrainee("alice", session, bus, lambda e: 0)]))
    assert session.state == "ended"
    assert session.clock.now_ms() >= session.end_ms
    assert [f.injection.id for f in session.fired] == [i.id for i in session.scenario.injections]
    # At this speed a minute lasts a tenth of a second: every expected alarm comes and is answered, in time or not.
    score = session.scorer.score("alice")
    assert {o.status for o in score.outcomes} <= {"met", "late"}, score.outcomes
    assert all(o.response_ms is not None for o in score.outcomes if o.expectation.action != "refrain")


def test_injections_reach_the_city_at_their_time(dijon: Inventory, tmp_path: Path) -> None:
    session, _ = drill("talant-cabinet-storm", dijon, tmp_path, 120.0)
    asyncio.run(play(session, []))
    start = session.scenario.start_ms
    assert [f.due_ms - start for f in session.fired] == [120_000, 480_000]
    assert all(0 <= f.lateness_ms < 1000 for f in session.fired), session.fired
    reader = HistorianReader(session.historian_path)
    try:
        mains = reader.telemetry("L-C-1044", start, session.end_ms, metric="mains")
    finally:
        reader.close()
    dark = [ts for ts, m in mains if m["mains"] is False]
    assert dark[0] == start + 120_000
    assert all(ts < start + 120_000 for ts, m in mains if m["mains"] is True and ts < dark[-1])


def test_in_time_is_met_late_is_late_nothing_is_missed(dijon: Inventory, tmp_path: Path) -> None:
    session, bus = drill("talant-cabinet-storm", dijon, tmp_path, 120.0)
    prompt = ScriptedTrainee("alice", session, bus, lambda e: 5_000)
    slow = ScriptedTrainee("bob", session, bus, lambda e: e.within_ms + 30_000, words="vu")
    asyncio.run(play(session, [prompt, slow]))
    alice, bob, carol = session.scorer.scores(["alice", "bob", "carol"])
    assert {o.expectation.id: o.status for o in alice.outcomes} == {
        "ack-outage": "met", "tell-enedis": "met", "ack-flicker": "met", "keep-in-service": "met"}
    assert {o.expectation.id: o.status for o in bob.outcomes} == {
        "ack-outage": "late", "tell-enedis": "missed", "ack-flicker": "late", "keep-in-service": "met"}
    assert {o.status for o in carol.outcomes} == {"missed", "met"}
    outage = next(o for o in bob.outcomes if o.expectation.id == "ack-outage")
    assert outage.response_ms is not None and outage.response_ms > 60_000
    quick = next(o for o in alice.outcomes if o.expectation.id == "ack-outage")
    assert quick.response_ms is not None and 5_000 <= quick.response_ms < 60_000
    assert alice.percent == 100.0 > bob.percent > carol.percent
    assert session.scorer.trainees == ["alice", "bob"]


def test_an_over_reaction_fails_the_refrain(dijon: Inventory, tmp_path: Path) -> None:
    session, bus = drill("quetigny-quiet-night", dijon, tmp_path, FAST)

    class Nervous(ScriptedTrainee):
        async def _maybe_answer(self, link: object, expectation: object) -> None:
            if "shelve" not in self.sent and session.scorer.raised_ms("pressure_drop:W-P-133"):
                self.sent["shelve"] = session.clock.now_ms()
                from hypervisor.engine.commands import command_payload

                await link.publish(session.topics.command(self.user, "shelve"),  # type: ignore[attr-defined]
                                   command_payload("pressure_drop:W-P-133", "n1", "script", "fed up"), 1, False)

    asyncio.run(play(session, [Nervous("dave", session, bus, lambda e: 0)]))
    outcomes = {o.expectation.id: o.status for o in session.scorer.score("dave").outcomes}
    assert outcomes == {"ack-transient": "missed", "no-over-reaction": "over-reacted"}


def test_the_trainer_pauses_jumps_and_injects_by_hand(dijon: Inventory, tmp_path: Path) -> None:
    session, _ = drill("quetigny-quiet-night", dijon, tmp_path, 60.0)
    hand = session.scenario.injections[0]

    async def trainer() -> None:
        while session.city is None or session.state != "running":
            await asyncio.sleep(0.01)
        session.pause()
        held = session.clock.now_ms()
        await asyncio.sleep(0.3)
        assert session.clock.now_ms() == held
        session.inject(hand)
        session.start()
        session.jump(20 * 60_000)
        await asyncio.sleep(0.2)
        assert session.clock.elapsed_ms >= 20 * 60_000
        session.note("Jumped to the end")
        session.end()

    async def main() -> None:
        await asyncio.gather(session.run(), trainer())

    asyncio.run(main())
    assert session.clock.elapsed_ms < session.scenario.duration_ms
    assert [(f.injection.id, f.by_hand, f.skipped_to) for f in session.fired] == [
        ("pump-changeover", True, False), ("pump-changeover", False, True)]
    reader = HistorianReader(session.historian_path)
    try:
        notes = [a for a in reader.actions() if a["verb"] == "note"]
    finally:
        reader.close()
    assert [n["comment"] for n in notes] == ["Jumped to the end"]


def test_train_run_headless_writes_a_french_debrief(tmp_path: Path) -> None:
    pdf = tmp_path / "debrief.pdf"
    run = subprocess.run([sys.executable, "-m", "hypervisor", "train", "run", "quetigny-quiet-night", "--session",
                          "cli", "--speed", "900", "--headless", "--historian", str(tmp_path / "cli.sqlite"),
                          "--debrief", str(pdf), "--lang", "fr", "--log-level", "ERROR"],
                         check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "injections fired: 1/1" in run.stdout
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=False, capture_output=True, text=True, timeout=60).stdout
    assert "Une nuit calme" in text and "Compte rendu" in text


def test_a_recorded_incident_becomes_a_drill(dijon: Inventory, tmp_path: Path) -> None:
    recorded, _ = drill("talant-cabinet-storm", dijon, tmp_path, 240.0, session="incident")
    asyncio.run(play(recorded, []))
    output = tmp_path / "drills" / "from-incident.toml"
    write_drill(recorded.historian_path, output, dijon, deadline_s=90)
    text = output.read_text(encoding="utf-8")
    assert 'rule = "cabinet_power_loss"' in text and 'asset = "L-C-1044"' in text and 'within = "+01:30"' in text
    assert 'recording = "../incident.sqlite"' in text and 'area = ["Talant"]' in text
    scenario, errors = check_scenario(output, dijon, [paths.DEFAULT_RULES])
    assert scenario is not None, errors
    assert {e.alarm_id for e in scenario.expectations} == {"cabinet_power_loss:L-C-1044", "cabinet_power_loss:L-C-1045"}
    bus = InProcessBus()
    replayed = TrainingSession(scenario, dijon, [paths.DEFAULT_RULES], tmp_path / "again.sqlite", "again",
                               Links(bus), "bus://again", speed=240.0, trainer="trainer")
    asyncio.run(play(replayed, [ScriptedTrainee("alice", replayed, bus, lambda e: 0)]))
    outcomes = replayed.scorer.score("alice").outcomes
    assert all(o.status in ("met", "late") for o in outcomes), outcomes
    first = replayed.scorer.raised_ms("cabinet_power_loss:L-C-1044")
    assert first is not None and abs(first - recorded.scorer.raised_ms("cabinet_power_loss:L-C-1044")) < 60_000
