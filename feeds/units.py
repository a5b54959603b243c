"""Units as foreign payloads declare them: SenML symbols (RFC 8428), UN/CEFACT codes, usual spellings.

A small explicit table rather than a general units library: the units a city's devices send are a
few dozen, several of them (NTU, pH, UN/CEFACT codes, SenML's ``%EL``) are unknown to general
libraries anyway, and a conversion here is one multiplication and one addition on the ingest path.
Each unit belongs to one quantity and converts to that quantity's base unit as ``value * factor +
offset``; two units convert into each other only through the same quantity.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its SenML-style symbol, what it measures, and how it converts to that quantity's base."""

    symbol: str
    quantity: str
    factor: float = 1.0
    offset: float = 0.0


def _units(quantity: str, **factors: float) -> dict[str, Unit]:
    return {symbol: Unit(symbol, quantity, factor) for symbol, factor in factors.items()}


UNITS: dict[str, Unit] = {
    "Cel": Unit("Cel", "temperature"),
    "K": Unit("K", "temperature", 1.0, -273.15),
    "degF": Unit("degF", "temperature", 5 / 9, -160 / 9),
    **_units("pressure", bar=1.0, mbar=1e-3, hPa=1e-3, kPa=1e-2, Pa=1e-5, MPa=10.0, psi=0.0689475729),
    **{s: Unit(s, "flow", f) for s, f in {"m3/h": 1.0, "m3/s": 3600.0, "l/s": 3.6, "l/min": 0.06, "l/h": 1e-3}.items()},
    **{s: Unit(s, "ratio", f) for s, f in {"%": 1.0, "/": 100.0, "%EL": 1.0}.items()},
    **_units("power", W=1.0, kW=1e3, MW=1e6, mW=1e-3),
    **_units("voltage", V=1.0, mV=1e-3, kV=1e3),
    **_units("length", m=1.0, mm=1e-3, cm=1e-2, km=1e3),
    **{s: Unit(s, "concentration", f) for s, f in {"mg/L": 1.0, "g/L": 1e3, "ug/L": 1e-3, "ppm": 1.0}.items()},
    **_units("turbidity", NTU=1.0, FNU=1.0),
    **{"pH": Unit("pH", "acidity")},
}
"""Every unit we convert, by its SenML symbol. ``ppm`` is mg/L for water; FNU reads as NTU."""

SPELLINGS: dict[str, str] = {
    # UN/CEFACT Recommendation 20 codes (NGSI-LD and Smart Data Models "unitCode")
    "CEL": "Cel", "KEL": "K", "FAH": "degF",
    "BAR": "bar", "MBR": "mbar", "A97": "hPa", "KPA": "kPa", "PAL": "Pa", "MPA": "MPa",
    "MQH": "m3/h", "MQS": "m3/s", "G51": "l/s", "L2": "l/min",
    "P1": "%", "C62": "/",
    "WTT": "W", "KWT": "kW", "MAW": "MW",
    "VLT": "V", "2Z": "mV", "KVT": "kV",
    "MTR": "m", "MMT": "mm", "CMT": "cm", "KMT": "km",
    "M1": "mg/L", "GL": "g/L", "59": "ppm",
    # usual spellings in decoders and exports
    "°C": "Cel", "degC": "Cel", "celsius": "Cel", "°F": "degF",
    "L/s": "l/s", "L/min": "l/min", "L/h": "l/h", "m³/h": "m3/h", "m³/s": "m3/s",
    "mg/l": "mg/L", "percent": "%", "v": "V", "mv": "mV",
}
"""Other names of the units above, to their SenML symbol."""

SUFFIXES: dict[str, str] = {
    "c": "Cel", "degc": "Cel", "k": "K", "f": "degF",
    "bar": "bar", "mbar": "mbar", "hpa": "hPa", "kpa": "kPa", "pa": "Pa", "mpa": "MPa", "psi": "psi",
    "m3h": "m3/h", "m3s": "m3/s", "ls": "l/s", "lmin": "l/min",
    "pct": "%", "percent": "%",
    "w": "W", "kw": "kW", "v": "V", "mv": "mV",
    "mm": "mm", "cm": "cm", "m": "m",
    "mgl": "mg/L", "ntu": "NTU",
}
"""Unit suffixes that LoRaWAN decoders append to key names (``temperature_c``, ``pressure_kpa``)."""


def unit_named(name: str) -> Unit | None:
    """The unit a payload names, in any of the spellings above; None when we do not know it."""
    unit = UNITS.get(name)
    if unit is None:
        unit = UNITS.get(SPELLINGS.get(name, SPELLINGS.get(name.strip(), "")))
    return unit


def converter(source: Unit, target: Unit) -> tuple[float, float] | None:
    """``(scale, offset)`` taking a value in ``source`` to ``target``; None across quantities."""
    if source.quantity != target.quantity:
        return None
    scale = source.factor / target.factor
    offset = (source.offset - target.offset) / target.factor
    return scale, offset
