"""Stand the assets on the generated streets.

A lighting cabinet stands at a street corner; each of its circuits leaves the corner along a street and
lines one pavement with lamps at regular spacing, turning at crossroads once its street is lit. Other
assets move from where they were drawn to the nearest street, set back by what they are: a container on
the pavement, a building behind it.
"""

from __future__ import annotations

import numpy as np

from feeds.citygen.streets import DistrictStreets, StreetNetwork

LAMP_OFFSET_KM = 0.005
"""Lamp posts stand at the kerb, 5 m from the street's centre line."""
CABINET_OFFSET_KM = 0.007
"""A cabinet stands on the corner's pavement, 7 m from the crossroads along the bisector."""
SETBACK_KM = {"container": 0.007, "building": 0.022, "boiler": 0.034, "substation": 0.034,
              "pressure_sensor": 0.004, "flow_meter": 0.004, "quality_probe": 0.004, "reservoir": 0.045}
"""How far from the street's centre line each kind of asset stands."""
_ENDS_KM = 0.012
"""Assets settle at least this far from a crossroads, so none stands in the junction."""


Run = tuple[int, int, int, float, float, float]
"""A block lit by a circuit: (block, crossroads it leaves from, lamps, kerb side ±1, direction x, y)."""


def _normal(direction: np.ndarray) -> np.ndarray:
    return np.array([-direction[1], direction[0]])


class Pavements:
    """One district's streets and which pavements (two per block) are already lit."""

    def __init__(self, streets: DistrictStreets) -> None:
        self.streets = streets
        self._start, self._direction, self._length = streets.edge_vectors()
        self._lit = [0] * len(streets.edges)
        self._cabinet_at = np.zeros(len(streets.nodes), bool)
        # Per crossroads: (block, crossroads at its other end, direction away as x, y), in plain Python
        # because a circuit's walk asks this a few times per lamp.
        self._ways: list[list[tuple[int, int, float, float]]] = [[] for _ in range(len(streets.nodes))]
        for e, ((a, b), (dx, dy)) in enumerate(zip(streets.edges.tolist(), self._direction.tolist(), strict=True)):
            self._ways[a].append((e, b, dx, dy))
            self._ways[b].append((e, a, -dx, -dy))
        self._corners = np.array([any(abs(w[2] * v[2] + w[3] * v[3]) < 0.5 for v in ways for w in ways)
                                  for ways in self._ways], bool)

    def corner(self, near: np.ndarray) -> tuple[int, np.ndarray]:
        """The free crossroads nearest a point, and where its cabinet stands on the corner."""
        d2 = ((self.streets.nodes - near) ** 2).sum(axis=1)
        d2[~self._corners] += 1e3  # a crossroads or a bend, never the middle of a straight street
        d2[self._cabinet_at] += 1e6
        node = int(np.argmin(d2))
        self._cabinet_at[node] = True
        ways = [np.array(way[2:]) for way in self._ways[node]]
        second = next((w for w in ways[1:] if abs(w @ ways[0]) < 0.5), _normal(ways[0]))
        bisector = (ways[0] + second) / np.hypot(*(ways[0] + second))
        return node, self.streets.nodes[node] + bisector * CABINET_OFFSET_KM

    def walk(self, node: int, heading: float, lamps: int) -> list[Run]:
        """The blocks one circuit of ``lamps`` lights, leaving ``node`` towards ``heading`` (radians)."""
        spacing = self.streets.lamp_spacing_km
        wanted = (float(np.cos(heading)), float(np.sin(heading)))
        runs: list[Run] = []
        placed = 0
        while placed < lamps:
            way = self._next_way(node, wanted)
            if way is None:
                node = self._nearest_unlit_node(node)
                continue
            edge, other, dx, dy = way
            side = 1.0 if self._lit[edge] % 2 == 0 else -1.0
            self._lit[edge] += 1
            count = min(max(1, int(float(self._length[edge]) / spacing)), lamps - placed)
            runs.append((edge, node, count, side, dx, dy))
            placed += count
            node, wanted = other, (dx, dy)
        return runs

    def posts(self, runs: list[Run], jitter: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the lamps of ``runs`` stand (km) at regular spacing on their kerb, and their streets.

        ``jitter`` (one value per lamp, in spacings) nudges each post along the kerb.
        """
        spacing = self.streets.lamp_spacing_km
        edge, start, count, side, dx, dy = (np.array(column) for column in zip(*runs, strict=True))
        length = self._length[edge]
        slots = np.maximum(1, (length / spacing).astype(np.int64))
        rank = np.arange(len(jitter)) - np.repeat(np.cumsum(count) - count, count)
        along = np.clip((rank + 0.5) * np.repeat(length / slots, count) + jitter * spacing,
                        0.0, np.repeat(length, count))
        ahead = np.repeat(np.column_stack([dx, dy]), count, axis=0)
        kerb = np.column_stack([-self._direction[edge, 1], self._direction[edge, 0]]) * (side * LAMP_OFFSET_KM)[:, None]
        points = self.streets.nodes[np.repeat(start, count)] + ahead * along[:, None] + np.repeat(kerb, count, axis=0)
        return points, np.repeat(self.streets.edge_street[edge], count)

    def _next_way(self, node: int, wanted: tuple[float, float]) -> tuple[int, int, float, float] | None:
        """The least lit block at ``node`` with a dark pavement, straightest ahead first."""
        best, best_key = None, (3, 0.0)
        for way in self._ways[node]:
            lit = self._lit[way[0]]
            if lit >= 2:
                continue
            key = (lit, -(way[2] * wanted[0] + way[3] * wanted[1]))
            if key < best_key:
                best, best_key = way, key
        return best

    def _nearest_unlit_node(self, node: int) -> int:
        """Where a circuit resumes once every pavement around it is lit: the nearest dark block's end."""
        dark = np.flatnonzero(np.array(self._lit) < 2)
        if dark.size == 0:  # every pavement is lit: further circuits double them, from the start
            self._lit = [n - 2 for n in self._lit]
            dark = np.arange(len(self._lit))
        ends = self.streets.edges[dark, 0]
        d2 = ((self.streets.nodes[ends] - self.streets.nodes[node]) ** 2).sum(axis=1)
        return int(ends[np.argmin(d2)])

    def settle(self, xy: np.ndarray, setback_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points (N x 2 km) moved to their nearest street, set back on their own side; and those streets."""
        offset = xy[:, None, :] - self._start[None, :, :]
        along = np.clip((offset * self._direction).sum(axis=2), 0.0, self._length)
        gap = offset - self._direction * along[:, :, None]
        edge = np.argmin((gap**2).sum(axis=2), axis=1)
        length = self._length[edge]
        margin = np.minimum(_ENDS_KM, length / 2.0)
        along = np.clip(along[np.arange(len(xy)), edge], margin, length - margin)
        foot = self._start[edge] + self._direction[edge] * along[:, None]
        normal = np.column_stack([-self._direction[edge, 1], self._direction[edge, 0]])
        side = np.where(((xy - foot) * normal).sum(axis=1) >= 0.0, 1.0, -1.0)
        return foot + normal * (side * setback_km)[:, None], self.streets.edge_street[edge]


def district_pavements(network: StreetNetwork) -> dict[str, Pavements]:
    """Fresh pavements for every district, by district name."""
    return {d.district.name: Pavements(d) for d in network.districts}
