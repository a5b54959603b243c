"""The city simulator: a normal day looks normal, and every injected fault shows in the readings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from feeds.inventory import Inventory, load_inventory
from feeds.model import Measurement, StatusUpdate
from feeds.simulator import FAULT_KINDS, CitySimulator, Fault
from feeds.solar import LIGHTING_ELEVATION_DEG, sun_elevation, sunrise_sunset

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "dijon" / "inventory.geojson"
WINTER = 1768435200000  # 2026-01-15 00:00 UTC, a Thursday
HOUR = 3_600_000
MINUTE = 60_000


@pytest.fixture(scope="module")
def full_city() -> Inventory:
    return load_inventory(SHIPPED)


@pytest.fixture(scope="module")
def city(full_city: Inventory) -> Inventory:
    """A district-sized slice of Dijon: a few cabinets and their lamps, some buildings, all the water."""
    cabinets = {f"L-C-{n:03d}" for n in range(40, 46)}
    buildings = {f"H-B-{n:03d}" for n in range(1, 13)}
    keep = [a for a in full_city if a.id in cabinets or a.parent in cabinets or a.id in buildings
            or a.parent in buildings or a.domain == "water" or (a.kind == "container" and a.id <= "D-C-0150")]
    return Inventory(keep)


def run(sim: CitySimulator, start: int, end: int, every: int = MINUTE) -> list[Measurement]:
    readings = []
    for now in range(start + every, end + 1, every):
        readings += [r for r in sim.step(now) if isinstance(r, Measurement)]
    return readings


def of(readings: list[Measurement], asset_id: str) -> list[Measurement]:
    return [r for r in readings if r.asset_id == asset_id]


def test_first_step_brings_every_asset_online_with_a_reading(city: Inventory) -> None:
    readings = CitySimulator(city, seed=3, start_ms=WINTER).step(WINTER)
    statuses = [r for r in readings if isinstance(r, StatusUpdate)]
    assert {s.asset_id for s in statuses} == {a.id for a in city} and all(s.online for s in statuses)
    assert {r.asset_id for r in readings if isinstance(r, Measurement)} == {a.id for a in city}


def test_assets_report_on_their_period_with_their_own_phase(city: Inventory) -> None:
    sim = CitySimulator(city, seed=3, start_ms=WINTER)
    sim.step(WINTER)
    sim.step(WINTER + 8 * HOUR)
    readings = run(sim, WINTER + 8 * HOUR, WINTER + 10 * HOUR, every=10_000)
    counts = defaultdict(int)
    for r in readings:
        counts[r.asset_id] += 1
    assert counts["W-P-012"] == 120
    assert counts["H-B-001"] == 24
    luminaire_times = {r.ts_ms % (15 * MINUTE) for r in readings if r.asset_id.startswith("L-L-")}
    assert len(luminaire_times) > 50


def test_readings_do_not_depend_on_how_the_day_is_stepped(city: Inventory) -> None:
    fine, coarse = CitySimulator(city, seed=5, start_ms=WINTER), CitySimulator(city, seed=5, start_ms=WINTER)
    fine.step(WINTER)
    coarse.step(WINTER)
    a = {(r.asset_id, r.ts_ms): r.metrics for r in run(fine, WINTER, WINTER + HOUR, every=10_000)}
    b = {(r.asset_id, r.ts_ms): r.metrics for r in run(coarse, WINTER, WINTER + HOUR, every=5 * MINUTE)}
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] for k in a if not k[0].startswith("H-"))
    other = CitySimulator(city, seed=6, start_ms=WINTER)
    other.step(WINTER)
    c = {(r.asset_id, r.ts_ms): r.metrics for r in run(other, WINTER, WINTER + HOUR, every=5 * MINUTE)}
    assert c != b


def test_a_normal_winter_day_looks_normal(city: Inventory) -> None:
    sim = CitySimulator(city, seed=0, start_ms=WINTER)
    sim.step(WINTER)
    readings = run(sim, WINTER, WINTER + 24 * HOUR)
    lamps = [r for r in readings if r.asset_id.startswith("L-L-")]
    lon = np.array([city[r.asset_id].lon for r in lamps])
    lat = np.array([city[r.asset_id].lat for r in lamps])
    elevation = sun_elevation(np.array([r.ts_ms for r in lamps]), lon, lat)
    lit = np.array([r.metrics["on"] for r in lamps])
    assert not lit[elevation > 0].any() and lit[elevation < -6].all()
    assert not any(r.metrics["fault"] for r in lamps)
    for r in readings:
        asset = city[r.asset_id]
        m = r.metrics
        if asset.kind == "pressure_sensor":
            assert abs(m["pressure_bar"] / asset.attrs["nominal_bar"] - 1) < 0.1 and m["pressure_bar"] > 2.5
        elif asset.kind == "flow_meter":
            assert 0.85 * asset.attrs["night_min_m3h"] <= m["flow_m3h"] <= 1.7 * asset.attrs["nominal_m3h"]
        elif asset.kind == "building" and m["occupied"]:
            assert asset.attrs["comfort_min_c"] <= m["temp_c"] <= asset.attrs["comfort_max_c"]
        elif asset.kind in ("boiler", "substation"):
            assert not m["fault"]
        elif asset.kind == "container":
            assert m["fill_pct"] < 90 and m["temp_c"] < 40 and m["battery_pct"] >= 30
        elif asset.kind == "reservoir":
            assert 40 <= m["level_pct"] <= 95
        elif asset.kind == "cabinet":
            assert m["mains"] and 220 < m["voltage_v"] < 240


def test_heat_sources_run_for_occupants_and_only_cycle_while_buildings_are_closed(city: Inventory) -> None:
    sim = CitySimulator(city, seed=0, start_ms=WINTER)
    sim.step(WINTER)
    readings = run(sim, WINTER, WINTER + 24 * HOUR)
    occupied = {(r.asset_id, r.ts_ms): r.metrics["occupied"] for r in readings if r.asset_id.startswith("H-B-")}
    for building in city.of_kind("building"):
        source = city.children(building.id)[0]
        states = [(occupied.get((building.id, r.ts_ms)), r.metrics["running"]) for r in of(readings, source)]
        assert all(running for in_use, running in states if in_use)
        longest = run_length = 0
        for in_use, running in states:
            run_length = run_length + 1 if running and in_use is False else 0
            longest = max(longest, run_length)
        assert longest < 4 * 12


def test_lights_switch_at_dusk_at_their_position_and_report_at_once(city: Inventory) -> None:
    sim = CitySimulator(city, seed=0, start_ms=WINTER + 15 * HOUR)
    sim.step(WINTER + 15 * HOUR)
    readings = run(sim, WINTER + 15 * HOUR, WINTER + 17 * HOUR, every=10_000)
    for lamp_id in city.children("L-C-044")[:5]:
        lamp = city[lamp_id]
        sunset, dusk = (sunrise_sunset(date(2026, 1, 15), lamp.lon, lamp.lat, civil=c)[1] for c in (False, True))
        switched_on = next(r for r in of(readings, lamp.id) if r.metrics["on"])
        assert sunset < switched_on.ts_ms < dusk
        assert float(sun_elevation(switched_on.ts_ms, lamp.lon, lamp.lat)) == pytest.approx(
            LIGHTING_ELEVATION_DEG, abs=0.05)
        assert switched_on.metrics["dim_pct"] == 100 and switched_on.metrics["power_w"] > 0


def test_lamps_dim_in_the_middle_of_the_night_and_cabinets_sum_their_power(city: Inventory) -> None:
    sim = CitySimulator(city, seed=0, start_ms=WINTER)
    sim.step(WINTER)
    readings = run(sim, WINTER, WINTER + HOUR)
    assert all(r.metrics["dim_pct"] == 50 for r in readings if r.asset_id.startswith("L-L-"))
    cabinet = of(readings, "L-C-044")[0]
    lamps = city.children("L-C-044")
    expected = sum(city[i].attrs["nominal_power_w"] for i in lamps) * 0.5 / 1000
    assert cabinet.metrics["power_kw"] == pytest.approx(expected, rel=0.02)


def inject_and_run(city: Inventory, fault: dict, hours: float, start: int = WINTER) -> list[Measurement]:
    sim = CitySimulator(city, seed=0, start_ms=start)
    sim.step(start)
    sim.inject(Fault.from_json(fault, city))
    return run(sim, start, start + int(hours * HOUR))


def test_cabinet_power_loss_darkens_its_lamps_until_it_ends(city: Inventory) -> None:
    start = WINTER + 10 * MINUTE
    readings = inject_and_run(city, {"kind": "cabinet_power_loss", "asset_id": "L-C-044", "start_ms": start,
                                     "duration_ms": 30 * MINUTE}, 1)
    at_start = [r for r in readings if r.ts_ms == start]
    assert {r.asset_id for r in at_start} == {"L-C-044", *city.children("L-C-044")}
    cabinet = of(at_start, "L-C-044")[0].metrics
    assert cabinet["mains"] is False and cabinet["power_kw"] == 0
    assert all(not r.metrics["on"] and r.metrics["power_w"] == 0 for r in at_start if r.asset_id != "L-C-044")
    after = [r for r in readings if r.ts_ms == start + 30 * MINUTE]
    assert all(r.metrics.get("on", True) and r.metrics.get("mains", True) for r in after) and len(after) > 1


def test_lamp_fault_sets_the_fault_flag_and_cuts_power(city: Inventory) -> None:
    lamp = city.children("L-C-044")[3]
    readings = of(inject_and_run(city, {"kind": "lamp_fault", "asset_id": lamp, "duration_s": 1200}, 1), lamp)
    assert readings[0].metrics["fault"] and readings[0].metrics["power_w"] == 0
    assert not readings[-1].metrics["fault"] and readings[-1].metrics["power_w"] > 0


def test_boiler_failure_stops_the_boiler_and_the_building_cools(city: Inventory) -> None:
    start = WINTER + 8 * HOUR
    readings = inject_and_run(city, {"kind": "boiler_failure", "asset_id": "H-B-001", "start_ms": start + HOUR},
                              6, start=start)
    source = city.children("H-B-001")[0]
    failed = [r for r in of(readings, source) if r.ts_ms >= start + HOUR]
    assert all(r.metrics["fault"] and not r.metrics["running"] and r.metrics["power_kw"] == 0 for r in failed)
    temps = [r.metrics["temp_c"] for r in of(readings, "H-B-001") if r.ts_ms >= start + HOUR]
    assert temps[-1] < city["H-B-001"].attrs["comfort_min_c"] < temps[0]


def test_container_fire_heats_the_container_past_seventy_within_minutes(city: Inventory) -> None:
    start = WINTER + 2 * HOUR
    readings = of(inject_and_run(city, {"kind": "container_fire", "asset_id": "D-C-0007", "start_ms": start},
                                 3, start=WINTER + HOUR), "D-C-0007")
    hot = [r.ts_ms for r in readings if r.metrics["temp_c"] > 70]
    assert hot and hot[0] - start <= 15 * MINUTE


def test_main_burst_raises_district_flow_and_drops_district_pressure(city: Inventory) -> None:
    meter = next(m for m in city.of_kind("flow_meter") if m.attrs["role"] == "district"
                 and m.district == city["W-P-012"].district)
    readings = inject_and_run(city, {"kind": "main_burst", "asset_id": meter.id}, 0.5)
    flows = [r.metrics["flow_m3h"] for r in of(readings, meter.id)]
    assert min(flows) > 2.2 * meter.attrs["nominal_m3h"]
    district = [r for r in readings if r.asset_id.startswith("W-P-") and city[r.asset_id].district == meter.district]
    assert len({r.asset_id for r in district}) >= 2 and all(r.metrics["pressure_bar"] < 2.0 for r in district)
    elsewhere = [r for r in readings if r.asset_id.startswith("W-P-") and city[r.asset_id].district != meter.district]
    assert all(r.metrics["pressure_bar"] > 0.9 * city[r.asset_id].attrs["nominal_bar"] for r in elsewhere)


def test_pressure_drop_brings_one_sensor_to_its_level(city: Inventory) -> None:
    readings = of(inject_and_run(city, {"kind": "pressure_drop", "asset": "urn:dev:hv:W-P-012"}, 0.5), "W-P-012")
    assert readings and all(r.metrics["pressure_bar"] == pytest.approx(1.2, abs=0.1) for r in readings)


def test_sensor_silence_stops_every_report_until_it_ends(city: Inventory) -> None:
    start = WINTER + 5 * MINUTE
    readings = of(inject_and_run(city, {"kind": "sensor_silence", "asset_id": "W-P-012", "start_ms": start,
                                        "duration_ms": 20 * MINUTE}, 1), "W-P-012")
    assert not [r for r in readings if start <= r.ts_ms < start + 20 * MINUTE]
    assert readings[-1].ts_ms > start + 20 * MINUTE


def test_clear_returns_the_asset_to_normal_at_the_next_step(city: Inventory) -> None:
    sim = CitySimulator(city, seed=0, start_ms=WINTER)
    sim.step(WINTER)
    fault = sim.inject(Fault("pressure_drop", "W-P-012", value=2.0))
    during = of(run(sim, WINTER, WINTER + 5 * MINUTE), "W-P-012")
    assert all(r.metrics["pressure_bar"] == pytest.approx(2.0, abs=0.1) for r in during)
    assert [f.fault_id for f in sim.active_faults()] == [fault.fault_id]
    assert sim.clear(fault.fault_id) and not sim.clear("no-such-fault")
    readings = of(run(sim, WINTER + 5 * MINUTE, WINTER + 10 * MINUTE), "W-P-012")
    assert readings[0].metrics["pressure_bar"] > 3.0 and sim.active_faults() == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"kind": "meteor", "asset_id": "W-P-012"}, "expected one of"),
        ({"kind": "lamp_fault", "asset_id": "L-L-99999"}, "not in the inventory"),
        ({"kind": "lamp_fault", "asset_id": "W-P-012"}, "is a pressure_sensor"),
        ({"kind": "pressure_drop", "asset_id": "W-P-012", "start_ms": "soon"}, "'start_ms' must be an integer"),
        ({"kind": "pressure_drop", "asset_id": "W-P-012", "duration_ms": -5}, "positive"),
        ({"kind": "pressure_drop", "asset_id": "W-P-012", "bar": 1.0}, "unknown field"),
        ({"kind": "pressure_drop"}, "needs 'asset_id'"),
    ],
)
def test_bad_faults_are_refused_with_a_clear_message(city: Inventory, payload: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault.from_json(payload, city)


def test_a_fault_round_trips_through_json_and_a_building_means_its_boiler(city: Inventory) -> None:
    fault = Fault.from_json({"kind": "boiler_failure", "asset_id": "H-B-002", "start_ms": WINTER}, city)
    assert fault.asset_id == city.children("H-B-002")[0]
    assert Fault.from_json(fault.to_json(), city) == fault


def test_demo_mode_injects_random_faults_that_clear_themselves(city: Inventory) -> None:
    sim = CitySimulator(city, seed=2, start_ms=WINTER)
    sim.step(WINTER)
    sim.enable_random_faults(per_hour=20)
    seen: set[str] = set()
    for now in range(WINTER + MINUTE, WINTER + 2 * HOUR, MINUTE):
        sim.step(now)
        seen |= {f.kind for f in sim.active_faults()}
    assert len(seen) >= 3 and seen <= set(FAULT_KINDS)
    sim.enable_random_faults(0)
    run(sim, WINTER + 2 * HOUR, WINTER + 4 * HOUR)
    assert sim.active_faults() == []
