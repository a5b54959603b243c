"""Device profiles (TOML, assets/devices/): what a vendor's LoRaWAN decoder sends, field by field.

A profile names the device models it fits (The Things Stack ``brand_id/model_id``, a ChirpStack
device-profile name), or an asset names its profile (inventory attribute ``device_profile``). Each
field maps to a metric with the unit the decoder uses, an optional linear ``scale`` and ``offset``
applied first (rounded to 3 decimals), or ``ignore = true``. Values may be decimal text (decoders often send ``toFixed``
strings). Files are validated with line-precise errors; a bad file never replaces its last good
version on reload.
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.catalogue import KIND_METRICS, METRICS
from feeds.codecs.mapping import Mapped, convert
from feeds.codecs.metric_names import name_key
from feeds.inventory import KINDS, Asset
from feeds.units import unit_named

log = logging.getLogger(__name__)

SHIPPED_PROFILES = Path(__file__).resolve().parent.parent / "assets" / "devices"
"""The profiles shipped for common devices; a deployment adds its own folder."""

_FIELD_KEYS = {"metric", "unit", "scale", "offset", "ignore"}
_DEVICE_KEYS = {"id", "name", "models", "kinds", "depth_m", "full_distance_m", "max_level_m"}
_PARAMS = ("depth_m", "full_distance_m", "max_level_m")
_DECIMAL = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


class ProfileError(ValueError):
    """One problem in a profile file: file, line, field, what is wrong."""

    def __init__(self, file: str, line: int, field_name: str | None, message: str) -> None:
        where = f"{file}:{line}" + (f" [{field_name}]" if field_name else "")
        super().__init__(f"{where}: {message}")
        self.file, self.line, self.field, self.message = file, line, field_name, message


@dataclass(frozen=True, slots=True)
class ProfileField:
    metric: str | None
    unit: str | None = None
    scale: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True, slots=True)
class DeviceProfile:
    """How one device model's decoded fields become our metrics."""

    id: str
    name: str
    models: tuple[str, ...]
    kinds: tuple[str, ...]
    fields: dict[str, ProfileField]
    params: dict[str, float] = field(default_factory=dict)

    def map(self, asset: Asset, key: str, value: object, unit: str | None = None) -> list[Mapped] | None:
        """Our values for one decoded field; None when the profile does not describe that field."""
        spec = self.fields.get(name_key(key))
        if spec is None:
            return None
        if spec.metric is None:
            return []
        metric = METRICS[spec.metric]
        if type(value) is str and metric.is_number and _DECIMAL.fullmatch(value):
            value = float(value)
        scaled = (spec.scale, spec.offset) != (1.0, 0.0)
        if scaled and metric.is_number and isinstance(value, int | float) and type(value) is not bool:
            value = round(value * spec.scale + spec.offset, 3)
        converted = convert(metric, key, value, unit or spec.unit, asset, self.params)
        return [] if converted is None else [Mapped(spec.metric, converted)]


class DeviceProfiles:
    """The profiles of a folder, by id and by device model; ``reload`` keeps each file's last good version."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._by_file: dict[Path, DeviceProfile] = {}
        self.errors: list[ProfileError] = []
        self._index()
        if folder is not None:
            self.reload()

    def reload(self) -> list[ProfileError]:
        """Read the folder again; returns this reading's errors (each bad file keeps its last good profile)."""
        assert self.folder is not None
        errors: list[ProfileError] = []
        seen = set()
        for path in sorted(self.folder.glob("*.toml")):
            seen.add(path)
            try:
                self._by_file[path] = load_profile(path)
            except ProfileError as exc:
                errors.append(exc)
                log.warning("device profile not applied: %s", exc)
        for gone in set(self._by_file) - seen:
            del self._by_file[gone]
        self.errors = errors
        self._index()
        return errors

    def _index(self) -> None:
        self.by_id = {p.id: p for p in self._by_file.values()}
        self._by_model = {m.lower(): p for p in self._by_file.values() for m in p.models}

    def for_device(self, asset: Asset, model: str | None) -> DeviceProfile | None:
        """The asset's own profile (attribute ``device_profile``), else the one of the model named."""
        own = asset.attrs.get("device_profile")
        if type(own) is str and own in self.by_id:
            return self.by_id[own]
        return self._by_model.get(model.lower()) if model else None

    def __len__(self) -> int:
        return len(self._by_file)


def load_profile(path: Path) -> DeviceProfile:
    """One profile file, or ``ProfileError`` on the line of the first problem."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ProfileError(str(path), int(found[1]) if found else 0, None, f"TOML syntax error: {exc}") from None
    checker = _Checker(str(path), lines)
    device = doc.get("device")
    if type(device) is not dict:
        raise checker.error("device", "a [device] table is required (id, name, models, kinds)")
    checker.unknown_keys(device, _DEVICE_KEYS, "device")
    profile_id = device.get("id")
    if type(profile_id) is not str or not profile_id:
        raise checker.error("id", "'id' must be a non-empty string")
    kinds = tuple(device.get("kinds", ()))
    for kind in kinds:
        if kind not in KINDS:
            raise checker.error("kinds", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    params = {}
    for name in _PARAMS:
        if name in device:
            if type(device[name]) not in (int, float) or device[name] < 0:
                raise checker.error(name, f"'{name}' must be a positive number of metres")
            params[name] = float(device[name])
    fields = {}
    raw_fields = doc.get("fields", {})
    if type(raw_fields) is not dict or not raw_fields:
        raise checker.error("fields", "at least one [fields.<decoded name>] table is required")
    for key, spec in raw_fields.items():
        fields[name_key(key)] = checker.field(key, spec, kinds)
    models = tuple(str(m) for m in device.get("models", ()))
    return DeviceProfile(profile_id, str(device.get("name", profile_id)), models, kinds, fields, params)


class _Checker:
    """Validation with each error placed on the line of its key."""

    def __init__(self, file: str, lines: list[str]) -> None:
        self.file, self.lines = file, lines

    def line_of(self, key: str, table: str | None = None) -> int:
        """The line of ``key`` (inside ``[fields.<table>]`` when given), else of the table's header."""
        start, end = 0, len(self.lines)
        if table is not None:
            header = re.compile(rf"^\s*\[fields\.[\"']?{re.escape(table)}[\"']?\]")
            start = next((n for n, line in enumerate(self.lines) if header.match(line)), 0)
            end = next((n for n in range(start + 1, end) if self.lines[n].lstrip().startswith("[")), end)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        found = next((n + 1 for n in range(start, end) if pattern.match(self.lines[n])), None)
        return found if found is not None else start + 1

    def error(self, key: str, message: str, table: str | None = None) -> ProfileError:
        return ProfileError(self.file, self.line_of(key, table), table or key, message)

    def unknown_keys(self, table: dict, known: set[str], where: str, field_name: str | None = None) -> None:
        for key in table:
            if key not in known:
                detail = f"unknown key {key!r} in {where}; known: {', '.join(sorted(known))}"
                raise self.error(key, detail, field_name)

    def field(self, key: str, spec: Any, kinds: tuple[str, ...]) -> ProfileField:
        if type(spec) is not dict:
            raise self.error(key, "a field is a table: metric, unit, scale, offset or ignore")
        self.unknown_keys(spec, _FIELD_KEYS, f"[fields.{key}]", key)
        if spec.get("ignore") is True:
            return ProfileField(None)
        metric = spec.get("metric")
        if metric not in METRICS:
            raise self.error("metric", f"'metric' must be one of our metrics, got {metric!r}", key)
        if kinds and not any(metric in KIND_METRICS[k] for k in kinds):
            raise self.error("metric", f"metric {metric!r} is reported by none of the kinds {list(kinds)}", key)
        unit = spec.get("unit")
        if unit is not None and (type(unit) is not str or unit_named(unit) is None):
            raise self.error("unit", f"unit {unit!r} is not one we know (SenML symbol or UN/CEFACT code)", key)
        numbers = {}
        for name in ("scale", "offset"):
            value = spec.get(name, 1.0 if name == "scale" else 0.0)
            if type(value) not in (int, float) or not math.isfinite(value):
                raise self.error(name, f"'{name}' must be a number", key)
            numbers[name] = float(value)
        return ProfileField(metric, unit, numbers["scale"], numbers["offset"])

