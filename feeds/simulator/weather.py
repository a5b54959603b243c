"""Outdoor temperature over Dijon: seasonal and daily cycles plus smooth weather swings, by seed."""

from __future__ import annotations

import numpy as np

from feeds.simulator.timing import MS_PER_DAY, MS_PER_HOUR

_YEAR_DAYS = 365.2425


class Weather:
    """Deterministic outdoor temperature; a function of time only, so any instant can be asked."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng([seed, 17])
        self._swing_periods_h = rng.uniform(40.0, 220.0, 4)
        self._swing_phases = rng.uniform(0.0, 2.0 * np.pi, 4)
        self._swing_amplitudes = rng.uniform(0.8, 1.6, 4)
        self._gust_periods_h = rng.uniform(2.5, 9.0, 3)
        self._gust_phases = rng.uniform(0.0, 2.0 * np.pi, 3)
        self.offset_c = 0.0
        """Added to every temperature: a drill's cold snap or heatwave."""

    def seasonal_mean_c(self, t_ms: np.ndarray) -> np.ndarray:
        """Climatological daily mean: about 2 °C in mid-January, 21 °C in late July."""
        day_of_year = (np.asarray(t_ms, dtype=np.float64) / MS_PER_DAY) % _YEAR_DAYS
        return 11.5 - 9.5 * np.cos(2.0 * np.pi * (day_of_year - 22.0) / _YEAR_DAYS)

    def outdoor_temp_c(self, t_ms: np.ndarray | int) -> np.ndarray:
        """Air temperature: coolest near dawn, warmest mid-afternoon, with multi-day weather swings."""
        t = np.asarray(t_ms, dtype=np.float64)
        hours = t / MS_PER_HOUR
        mean = self.seasonal_mean_c(t)
        summer = (mean - 2.0) / 19.0
        solar_hour = (hours + 0.33) % 24.0
        daily = (3.0 + 3.0 * summer) * np.cos(2.0 * np.pi * (solar_hour - 15.0) / 24.0)
        swings = np.sum(
            self._swing_amplitudes[:, None]
            * np.sin(2.0 * np.pi * hours.reshape(1, -1) / self._swing_periods_h[:, None]
                     + self._swing_phases[:, None]), axis=0,
        ).reshape(t.shape)
        gusts = 0.25 * np.sum(
            np.sin(2.0 * np.pi * hours.reshape(1, -1) / self._gust_periods_h[:, None]
                   + self._gust_phases[:, None]), axis=0,
        ).reshape(t.shape)
        return mean + daily + swings + gusts + self.offset_c
