"""Generate the heating, waste and water assets of the simulated Dijon Métropole."""

from __future__ import annotations

import numpy as np

from feeds.citygen.communes import DISTRICTS, OUTER_COMMUNES, District
from feeds.citygen.features import dev_eui, feature, ngsi_id, senml_name, share
from feeds.citygen.geometry import DistrictCells

BUILDINGS = 180
CONTAINERS = 2400
PRESSURE_SENSORS = 150
FLOW_METERS = 60
QUALITY_PROBES = 40

# use: (label, occupancy schedule, setpoint °C, nominal heat power range kW, share)
BUILDING_USES: dict[str, tuple[str, str, float, tuple[int, int], float]] = {
    "school": ("Groupe scolaire", "mon-tue 08:00-17:30; wed 08:00-12:00; thu-fri 08:00-17:30", 19.0,
               (120, 450), 0.36),
    "nursery": ("Crèche", "mon-fri 07:30-18:30", 21.0, (60, 150), 0.10),
    "gymnasium": ("Gymnase", "mon-fri 08:00-22:00; sat 09:00-18:00", 17.0, (150, 400), 0.14),
    "offices": ("Centre administratif", "mon-fri 07:30-19:00", 19.0, (150, 600), 0.14),
    "library": ("Bibliothèque", "tue-sat 10:00-18:00", 19.0, (60, 200), 0.10),
    "cultural_centre": ("Maison de quartier", "mon-sat 09:00-22:00", 19.0, (80, 250), 0.12),
    "swimming_pool": ("Piscine", "mon-sun 07:00-21:00", 26.0, (500, 900), 0.04),
}
TOWN_HALL = ("Mairie", "mon-fri 08:30-17:30; sat 09:00-12:00", 19.0, (80, 300))
DISTRICT_HEATING = {"Centre-ville", "Grésilles", "Fontaine d'Ouche", "Toison d'Or", "Université",
                    "Maladière", "Chenôve", "Quetigny", "Talant"}

WASTE_SHARE = {"household": 0.35, "recycling": 0.28, "glass": 0.25, "paper": 0.12}
# days between collection rounds: (centre, other dense, village)
COLLECTION_EVERY_D = {"household": (1.0, 2.0, 3.5), "recycling": (2.0, 3.5, 7.0),
                      "glass": (7.0, 7.0, 14.0), "paper": (7.0, 7.0, 14.0)}

RESERVOIR_SITES = ("Talant", "Fontaine-lès-Dijon", "Daix", "Hauteville-lès-Dijon", "Plombières-lès-Dijon",
                   "Corcelles-les-Monts", "Flavignerot", "Marsannay-la-Côte", "Perrigny-lès-Dijon",
                   "Chenôve", "Montchapet", "Fontaine d'Ouche", "Saint-Apollinaire", "Quetigny",
                   "Chevigny-Saint-Sauveur")

_BY_NAME = {d.name: i for i, d in enumerate(DISTRICTS)}
_POPULATION = np.array([d.population for d in DISTRICTS], dtype=np.float64)


def _offset(xy: np.ndarray, rng: np.random.Generator, km: float = 0.012) -> np.ndarray:
    return xy + rng.normal(0.0, km, 2)


def _building(number: int, district: District, xy: np.ndarray, use: str,
              rng: np.random.Generator) -> tuple[dict, dict]:
    if use == "town_hall":
        label, schedule, setpoint, power = TOWN_HALL
        name = f"{label} de {district.commune}"
    else:
        label, schedule, setpoint, power, _ = BUILDING_USES[use]
        name = f"{label} {district.name} {number}"
    building_id = f"H-B-{number:03d}"
    building = feature(building_id, "building", "heating", district, xy, name=name, use=use,
                       setpoint_c=setpoint, setback_c=setpoint - (2.0 if use == "swimming_pool" else 4.0),
                       comfort_min_c=setpoint - 1.5, comfort_max_c=setpoint + 6.0, occupancy=schedule,
                       report_period_s=300, aliases=[ngsi_id("Building", building_id)])
    return building, {"power": int(rng.integers(power[0], power[1] + 1)), "xy": _offset(xy, rng)}


def heating_assets(cells: DistrictCells, rng: np.random.Generator) -> list[dict]:
    """Public buildings, each heated by its own boiler or a district-heating substation."""
    counts = np.maximum(1, share(BUILDINGS, _POPULATION + 3000.0))
    uses = list(BUILDING_USES)
    use_share = np.array([BUILDING_USES[u][4] for u in uses])
    buildings: list[dict] = []
    sources: list[dict] = []
    boilers = substations = 0
    for i, district in enumerate(DISTRICTS):
        for k, xy in enumerate(cells.sample(i, int(counts[i]), rng, spread=0.45)):
            town_hall = k == 0 and district in OUTER_COMMUNES
            use = "town_hall" if town_hall else str(rng.choice(uses, p=use_share))
            building, source = _building(len(buildings) + 1, district, xy, use, rng)
            buildings.append(building)
            if district.name in DISTRICT_HEATING and rng.random() < 0.75:
                substations += 1
                source_id, kind = f"H-S-{substations:03d}", "substation"
            else:
                boilers += 1
                source_id, kind = f"H-K-{boilers:03d}", "boiler"
            sources.append(feature(source_id, kind, "heating", district, source["xy"],
                                   parent=building["properties"]["id"], nominal_power_kw=source["power"],
                                   report_period_s=300, aliases=[senml_name(source_id)]))
    return buildings + sources


def _collection_every(district: District, waste_type: str) -> float:
    centre, dense, village = COLLECTION_EVERY_D[waste_type]
    if district.name == "Centre-ville":
        return centre
    return dense if district.dense else village


def waste_assets(cells: DistrictCells, rng: np.random.Generator) -> list[dict]:
    """Containers with fill sensors: household, recycling, glass and paper."""
    dense = np.array([1.5 if d.dense else 1.0 for d in DISTRICTS])
    counts = share(CONTAINERS, _POPULATION * dense + 800.0)
    types = list(WASTE_SHARE)
    containers: list[dict] = []
    for i, district in enumerate(DISTRICTS):
        for xy in cells.sample(i, int(counts[i]), rng, spread=0.5):
            container_id = f"D-C-{len(containers) + 1:04d}"
            waste_type = str(rng.choice(types, p=list(WASTE_SHARE.values())))
            capacity = int(rng.choice([3000, 4000, 5000] if waste_type == "household" else [3000, 4000]))
            containers.append(feature(
                container_id, "container", "waste", district, xy, waste_type=waste_type,
                capacity_l=capacity, collection_every_d=_collection_every(district, waste_type),
                report_period_s=1800,
                aliases=[ngsi_id("WasteContainer", container_id), dev_eui(container_id)],
            ))
    return containers


def _water_aliases(asset_id: str) -> list[str]:
    return [dev_eui(asset_id), senml_name(asset_id)]


def _nominal_bar(xy: np.ndarray, rng: np.random.Generator) -> float:
    """Service pressure is lower on the western heights, near the reservoirs, than on the eastern plain."""
    return round(float(np.clip(4.2 + 0.08 * xy[0] + rng.normal(0.0, 0.25), 3.0, 6.0)), 1)


def _spread_counts(total: int, minimum: int) -> np.ndarray:
    return minimum + share(total - minimum * len(DISTRICTS), _POPULATION + 1000.0)


def water_assets(cells: DistrictCells, rng: np.random.Generator) -> list[dict]:
    """Reservoirs, district and transfer flow meters, pressure sensors and quality probes."""
    features: list[dict] = []
    reservoir_xy = []
    for n, name in enumerate(RESERVOIR_SITES, start=1):
        i = _BY_NAME[name]
        xy = cells.sample(i, 1, rng, spread=0.7)[0]
        reservoir_xy.append((i, xy))
        features.append(feature(f"W-R-{n:02d}", "reservoir", "water", DISTRICTS[i], xy,
                                capacity_m3=int(rng.integers(10, 121)) * 100, report_period_s=300,
                                aliases=_water_aliases(f"W-R-{n:02d}")))
    meters = []
    for i, district in enumerate(DISTRICTS):
        nominal = max(8.0, district.population * 0.0085)
        meters.append((i, cells.sample(i, 1, rng, spread=0.3)[0], "district", nominal))
    for i, xy in reservoir_xy:
        meters.append((i, _offset(xy, rng, 0.05), "reservoir_outlet", float(rng.integers(60, 400))))
    for i in np.argsort(-_POPULATION, kind="stable")[: FLOW_METERS - len(meters)]:
        meters.append((int(i), cells.sample(int(i), 1, rng, spread=0.6)[0], "transfer",
                       float(rng.integers(80, 300))))
    for n, (i, xy, role, nominal) in enumerate(meters, start=1):
        meter_id = f"W-F-{n:03d}"
        features.append(feature(meter_id, "flow_meter", "water", DISTRICTS[i], xy, role=role,
                                nominal_m3h=round(nominal, 1), night_min_m3h=round(nominal * 0.3, 1),
                                report_period_s=60, aliases=_water_aliases(meter_id)))
    number = 0
    for i, count in enumerate(_spread_counts(PRESSURE_SENSORS, 2)):
        for xy in cells.sample(i, int(count), rng, spread=0.6):
            number += 1
            sensor_id = f"W-P-{number:03d}"
            features.append(feature(sensor_id, "pressure_sensor", "water", DISTRICTS[i], xy,
                                    nominal_bar=_nominal_bar(xy, rng), report_period_s=60,
                                    aliases=_water_aliases(sensor_id)))
    probes = [(i, _offset(xy, rng, 0.03)) for i, xy in reservoir_xy]
    for i, count in enumerate(share(QUALITY_PROBES - len(probes), _POPULATION + 2000.0)):
        probes += [(i, xy) for xy in cells.sample(i, int(count), rng, spread=0.5)]
    for n, (i, xy) in enumerate(probes, start=1):
        probe_id = f"W-Q-{n:03d}"
        aliases = [ngsi_id("WaterQualityObserved", probe_id), *_water_aliases(probe_id)]
        features.append(feature(probe_id, "quality_probe", "water", DISTRICTS[i], xy, report_period_s=300,
                                aliases=aliases))
    return features
