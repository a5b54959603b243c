"""The generated street network: one grid per district, clipped to its commune's real outline.

Each district's grid is turned to follow the tram and bus lines that cross it and shifted so that its
stop nearest the centre sits on a crossroads; a district without stops gets a drawn orientation. The
blocks grow out from the centre until the streets can hold the district's lamps on both pavements.
A street is a straight run of grid blocks; it is named once per commune.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from feeds.citygen.communes import DISTRICTS, District
from feeds.citygen.features import share
from feeds.citygen.geometry import DistrictCells
from feeds.citygen.outlines import commune_outlines, stop_lines
from feeds.citygen.street_names import CommuneNames, way_kind

LUMINAIRES = 34_000
LAMP_SPACING_KM = {True: 0.028, False: 0.040}
"""Distance between lamps on one pavement, in dense and other districts."""
BLOCK_KM = {True: 0.11, False: 0.14}
CAPACITY_MARGIN = 1.3
"""Streets hold this many times the district's lamps, so every cabinet finds pavements near its corner."""
_GRID_NOISE = 0.15
MIN_BLOCK_KM = 0.06


@dataclass(frozen=True, slots=True)
class Street:
    """A named straight street (km coordinates of its two ends)."""

    name: str
    commune: str
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True, slots=True)
class DistrictStreets:
    """The streets of one district as a graph: crossroads (nodes) joined by blocks (edges)."""

    district: District
    nodes: np.ndarray
    """N x 2 km."""
    edges: np.ndarray
    """E x 2 node indices; each block belongs to one street."""
    edge_street: np.ndarray
    """E street indices into ``StreetNetwork.streets``."""
    lamp_spacing_km: float

    def edge_vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Start points, unit directions and lengths of the blocks."""
        start = self.nodes[self.edges[:, 0]]
        delta = self.nodes[self.edges[:, 1]] - start
        length = np.hypot(delta[:, 0], delta[:, 1])
        return start, delta / length[:, None], length


@dataclass(frozen=True, slots=True)
class StreetNetwork:
    """Every district's streets, and every street by index."""

    districts: tuple[DistrictStreets, ...]
    streets: tuple[Street, ...]


@cache
def _stop_segments() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Middles, angles and lengths of the hops between consecutive stops of every line."""
    lines = [line for line in stop_lines() if len(line) >= 2]
    delta = np.vstack([line[1:] - line[:-1] for line in lines])
    middle = np.vstack([(line[1:] + line[:-1]) / 2.0 for line in lines])
    return middle, np.arctan2(delta[:, 1], delta[:, 0]), np.hypot(delta[:, 0], delta[:, 1])


def _orientation(centre: np.ndarray, inside: Callable[[np.ndarray, np.ndarray], np.ndarray],
                 rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """The grid's angle (radians, modulo a quarter turn) and a point it passes through."""
    drawn = float(rng.uniform(0.0, np.pi / 2.0))
    middle, angle, length = _stop_segments()
    keep = inside(middle[:, 0], middle[:, 1])
    if not keep.any():
        return drawn, centre
    weight, angle = length[keep], angle[keep]
    # Directions a quarter turn apart are the same grid: average on the circle of 4 x angle.
    theta = float(np.arctan2((weight * np.sin(4 * angle)).sum(), (weight * np.cos(4 * angle)).sum()) / 4.0)
    stops = middle[keep]
    return theta, stops[np.argmin(((stops - centre) ** 2).sum(axis=1))]


def _region(district_index: int, cells: DistrictCells) -> tuple[Callable[[np.ndarray, np.ndarray], np.ndarray],
                                                                 np.ndarray]:
    """Where the district may have streets, and its centre: its cell within its commune's real outline.

    A village whose listed centre falls outside its simplified outline builds around the outline's middle.
    """
    district = DISTRICTS[district_index]
    outline = commune_outlines()[district.commune]
    centre = cells.centres[district_index]
    if outline.contains(centre[:1], centre[1:])[0]:
        def inside(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            mask = cells.contains(district_index, x, y)
            mask[mask] = outline.contains(np.ravel(x)[mask], np.ravel(y)[mask])
            return mask

        return inside, centre
    ring = max(outline.rings, key=len)
    return outline.contains, ring[:-1].mean(axis=0)


def _grid(district_index: int, cells: DistrictCells, rng: np.random.Generator, lamps: int,
          ) -> tuple[np.ndarray, np.ndarray, int]:
    """Crossroads (km), the blocks kept between them (nearest the centre first) and the grid's width."""
    district = DISTRICTS[district_index]
    inside, centre = _region(district_index, cells)
    theta, anchor = _orientation(centre, inside, rng)
    axes = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    spacing = LAMP_SPACING_KM[district.dense]
    block = BLOCK_KM[district.dense]
    extent = district.reach_km + float(np.hypot(*(anchor - centre)))
    noise = rng.uniform(1.0 - _GRID_NOISE, 1.0 + _GRID_NOISE, 1 << 14)
    while True:
        half = int(np.ceil(extent / block)) + 1
        m, n = np.meshgrid(np.arange(-half, half + 1), np.arange(-half, half + 1), indexing="ij")
        nodes = anchor + block * (m.ravel()[:, None] * axes[0] + n.ravel()[:, None] * axes[1])
        ok = inside(nodes[:, 0], nodes[:, 1]).reshape(m.shape)
        ids = np.arange(m.size).reshape(m.shape)
        along_m, along_n = ok[:-1, :] & ok[1:, :], ok[:, :-1] & ok[:, 1:]
        edges = np.vstack([np.column_stack([ids[:-1, :][along_m], ids[1:, :][along_m]]),
                           np.column_stack([ids[:, :-1][along_n], ids[:, 1:][along_n]])])
        middle = (nodes[edges[:, 0]] + nodes[edges[:, 1]]) / 2.0
        edges = edges[inside(middle[:, 0], middle[:, 1])]  # a block never cuts across a bend of the border
        wanted = int(np.ceil(CAPACITY_MARGIN * max(lamps, 1) / (2 * int(block / spacing))))
        if len(edges) >= wanted or block < MIN_BLOCK_KM:
            break
        # Blocks shrink until the region's streets can hold the lamps (their count grows as 1 / block²).
        block = max(MIN_BLOCK_KM * 0.99, block * min(0.9, 0.97 * np.sqrt(max(len(edges), 1) / wanted)))
    middle = (nodes[edges[:, 0]] + nodes[edges[:, 1]]) / 2.0
    distance = np.hypot(*(middle - centre).T) * noise[np.arange(len(edges)) % noise.size]
    chosen = np.sort(np.argsort(distance, kind="stable")[:wanted])
    return nodes, edges[chosen], m.shape[1]


def _runs(edges: np.ndarray, width: int) -> list[np.ndarray]:
    """Blocks grouped into straight streets: consecutive blocks along one grid line.

    Node ids are ``m * width + n``; a block joins ids one apart (along n) or ``width`` apart (along m).
    """
    a = edges[:, 0]
    along_n = (edges[:, 1] - a) == 1
    runs: list[np.ndarray] = []
    for mask, grid_line, grid_position in ((along_n, a // width, a % width), (~along_n, a % width, a // width)):
        blocks = np.flatnonzero(mask)
        blocks = blocks[np.lexsort((grid_position[blocks], grid_line[blocks]))]
        line, position = grid_line[blocks], grid_position[blocks]
        breaks = np.flatnonzero((np.diff(line) != 0) | (np.diff(position) != 1)) + 1
        runs += [run for run in np.split(blocks, breaks) if run.size]
    return runs


@cache
def street_network(seed: int = 2019) -> StreetNetwork:
    """The whole metropole's streets for a seed: same seed, same streets."""
    rng = np.random.default_rng([seed, 0x57EE7])
    cells = DistrictCells(DISTRICTS)
    lamps = lamps_per_district()
    names: dict[str, CommuneNames] = {}
    streets: list[Street] = []
    districts = []
    for i, district in enumerate(DISTRICTS):
        nodes, edges, width = _grid(i, cells, rng, int(lamps[i]))
        edge_street = np.empty(len(edges), np.int64)
        commune_names = names.setdefault(district.commune, CommuneNames(rng))
        runs = _runs(edges, width)
        for run in sorted(runs, key=lambda r: (-r.size, int(r[0]))):
            ends = nodes[[edges[run[0], 0], edges[run[-1], 1]]]
            length = float(np.hypot(*(ends[1] - ends[0])))
            edge_street[run] = len(streets)
            streets.append(Street(commune_names.name(way_kind(length, rng)), district.commune,
                                  (float(ends[0, 0]), float(ends[0, 1])), (float(ends[1, 0]), float(ends[1, 1]))))
        used = np.unique(edges)
        remap = np.full(len(nodes), -1, np.int64)
        remap[used] = np.arange(used.size)
        districts.append(DistrictStreets(district, nodes[used], remap[edges], edge_street,
                                         LAMP_SPACING_KM[district.dense]))
    return StreetNetwork(tuple(districts), tuple(streets))


def lamps_per_district() -> np.ndarray:
    """How many luminaires each district has: the city's lamps shared by population."""
    return share(LUMINAIRES, np.array([d.population + 600.0 for d in DISTRICTS]))
