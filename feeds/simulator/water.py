"""Water: demand with morning and evening peaks, pressure that sags with it, reservoirs, quality."""

from __future__ import annotations

import numpy as np

from feeds.simulator.context import Metrics, SimContext
from feeds.simulator.faults import DEFAULT_DROP_BAR
from feeds.simulator.timing import local_hour

NIGHT_FLOW_RATIO = 0.3
"""Minimum night flow as a share of ``nominal_m3h``, as the inventory's ``night_min_m3h`` assumes."""
PEAK_FLOW_RATIO = 1.5
"""Peak-hour flow as a share of ``nominal_m3h``; a burst adds far more than a busy morning does."""
BURST_EXTRA_RATIO = 2.0
BURST_PRESSURE = (0.25, 0.3)
"""A burst leaves its district at ``0.25 × normal + 0.3`` bar: below 2 bar even where nominal is 6 bar."""
PRESSURE_SWING = 0.06
"""How far pressure rises at night and sags at peak demand, as a share of nominal per unit of demand."""

_NOISE_FLOW, _NOISE_PRESSURE, _NOISE_LEVEL, _NOISE_CL, _NOISE_TURB, _NOISE_PH = 41, 42, 43, 44, 45, 46
_STREAM_MID, _STREAM_AMP, _STREAM_CL, _STREAM_TURB, _STREAM_PH = 47, 48, 49, 50, 51


def _demand_table() -> np.ndarray:
    """Demand per minute of the local day, from ``NIGHT_FLOW_RATIO`` (small hours) to ``PEAK_FLOW_RATIO``."""
    h = np.arange(1440) / 60.0

    def bump(centre: float, width: float, height: float) -> np.ndarray:
        """A daily peak, wrapped round midnight."""
        return height * sum(np.exp(-(((h - centre + shift) / width) ** 2)) for shift in (-24.0, 0.0, 24.0))

    shape = bump(7.5, 1.6, 0.9) + bump(20.0, 2.0, 0.8) + bump(13.5, 5.0, 0.6)
    span = PEAK_FLOW_RATIO - NIGHT_FLOW_RATIO
    return NIGHT_FLOW_RATIO + (shape - shape.min()) * span / (shape.max() - shape.min())


DEMAND = _demand_table()


def _reservoir_table() -> np.ndarray:
    """Reservoir swing in [-1, 1]: pumps fill at night on off-peak power, the town draws by day."""
    pumping = np.zeros(1440)
    pumping[np.r_[0:360, 1320:1440]] = 1.0
    pumping *= DEMAND.sum() / pumping.sum()
    stored = np.cumsum(pumping - DEMAND)
    return 2.0 * (stored - stored.min()) / (stored.max() - stored.min()) - 1.0


RESERVOIR_SWING = _reservoir_table()


class Water:
    """Flow meters, pressure sensors, reservoirs and quality probes."""

    kinds = ("flow_meter", "pressure_sensor", "reservoir", "quality_probe")

    def __init__(self, ctx: SimContext) -> None:
        self._ctx = ctx
        n = len(ctx.inventory)
        self._nominal = np.zeros(n)
        flow = ctx.indices("flow_meter")
        self._nominal[flow] = ctx.attr(flow, "nominal_m3h", 100.0)
        pressure = ctx.indices("pressure_sensor")
        self._nominal[pressure] = ctx.attr(pressure, "nominal_bar", 4.5)
        every = np.arange(n)
        self._level_mid = 62.0 + 12.0 * ctx.constant(_STREAM_MID, every)
        self._level_amp = 8.0 + 10.0 * ctx.constant(_STREAM_AMP, every)
        self._chlorine = 0.18 + 0.14 * ctx.constant(_STREAM_CL, every)
        self._turbidity = 0.08 + 0.17 * ctx.constant(_STREAM_TURB, every)
        self._ph = 7.3 + 0.6 * ctx.constant(_STREAM_PH, every)

    def advance(self, now_ms: int) -> None:
        """Water values follow the daily demand curve; there is no state to move."""

    def measure(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> Metrics:
        """Metrics of assets ``idx`` (inventory indices, all of ``kind``) at instants ``t_ms``."""
        minute = (local_hour(t_ms) * 60.0).astype(np.intp) % 1440
        noise = self._ctx.noise
        faults = self._ctx.faults
        if kind == "flow_meter":
            burst = faults.affects("main_burst", idx, t_ms)
            flow = self._nominal[idx] * (DEMAND[minute] * (1.0 + 0.03 * noise(_NOISE_FLOW, idx, t_ms))
                                         + np.where(burst, BURST_EXTRA_RATIO, 0.0))
            return {"flow_m3h": np.round(flow, 1)}
        if kind == "pressure_sensor":
            nominal = self._nominal[idx]
            pressure = nominal * (1.0 + PRESSURE_SWING * (1.0 - DEMAND[minute]))
            burst = faults.affects("main_burst", idx, t_ms)
            pressure = np.where(burst, BURST_PRESSURE[0] * pressure + BURST_PRESSURE[1], pressure)
            _, _, level = faults.window("pressure_drop")
            dropped = faults.affects("pressure_drop", idx, t_ms)
            pressure = np.where(dropped, np.nan_to_num(level[idx], nan=DEFAULT_DROP_BAR), pressure)
            return {"pressure_bar": np.round(pressure + 0.02 * noise(_NOISE_PRESSURE, idx, t_ms), 2)}
        if kind == "reservoir":
            level = self._level_mid[idx] + self._level_amp[idx] * RESERVOIR_SWING[minute]
            return {"level_pct": np.round(level + 0.2 * noise(_NOISE_LEVEL, idx, t_ms), 1)}
        chlorine = self._chlorine[idx] + 0.01 * noise(_NOISE_CL, idx, t_ms)
        turbidity = np.maximum(0.02, self._turbidity[idx] + 0.02 * noise(_NOISE_TURB, idx, t_ms))
        ph = self._ph[idx] + 0.03 * noise(_NOISE_PH, idx, t_ms)
        return {"chlorine_mgl": np.round(chlorine, 2), "turbidity_ntu": np.round(turbidity, 2),
                "ph": np.round(ph, 2)}

    def changes(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Water sensors report on their period only; faults prompt their immediate reports."""
        return np.empty(0, np.intp), np.empty(0, np.int64)
