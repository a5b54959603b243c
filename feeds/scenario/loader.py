"""Read a scenario file (TOML) and report every problem with its file and line, as the rule loader does."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feeds.catalogue import KIND_METRICS
from feeds.inventory import Inventory
from feeds.scenario.model import (
    ACTIONS,
    INJECTION_KINDS,
    LEVELS,
    SEASON_MONTHS,
    SEASONS,
    WEATHER_OFFSET_C,
    Conditions,
    Expectation,
    Injection,
    Scenario,
    parse_offset,
)
from feeds.simulator.faults import FAULT_KINDS, TARGET_KINDS, Fault, check_fault

RuleCheck = Callable[[str, str], str | None]
"""``(rule_id, asset_id)`` -> why that alarm cannot exist, or None when it can."""

_SECTIONS = {"scenario", "conditions", "inject", "expect"}
_SCENARIO_FIELDS = {"id", "title_en", "title_fr", "briefing_en", "briefing_fr", "level", "duration", "start",
                    "speed", "author", "seed", "area", "recording"}
_INJECT_FIELDS = {
    "fault": {"fault", "asset", "duration", "value"},
    "force": {"asset", "metric", "value", "duration"},
    "ramp": {"asset", "metric", "from", "to", "over", "duration"},
    "silence": {"asset", "duration"},
    "burst": {"fault", "district", "count", "duration"},
}
_INJECT_COMMON = {"id", "at", "kind", "label_en", "label_fr"}
_EXPECT_FIELDS = {"id", "action", "rule", "asset", "within", "contains", "verbs", "points"}


class ScenarioError(ValueError):
    """One problem in a scenario file: where (file, line), which item and field, and what is wrong."""

    def __init__(self, file: str, line: int, item: str | None, field: str | None, message: str) -> None:
        super().__init__(message)
        self.file, self.line, self.item, self.field, self.message = file, line, item, field, message

    def __str__(self) -> str:
        item = f" {self.item}" if self.item else ""
        field = f" field {self.field!r}" if self.field else ""
        return f"{self.file}:{self.line}:{item}{field}: {self.message}"


def load_scenario(path: Path | str, inventory: Inventory,
                  rule_check: RuleCheck | None = None) -> tuple[Scenario | None, list[ScenarioError]]:
    """The scenario if it is valid, and every error found; never raises for content problems."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ScenarioError(str(path), 0, None, None, f"cannot read the file: {exc}")]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        return None, [ScenarioError(str(path), int(found[1]) if found else 0, None, None, f"TOML syntax error: {exc}")]
    reader = _Reader(str(path), text.splitlines(), inventory, rule_check)
    return reader.read(doc, path.stem), reader.errors


class _Reader:
    """Builds the scenario section by section, placing each error on its field's line."""

    def __init__(self, file: str, lines: list[str], inventory: Inventory, rule_check: RuleCheck | None) -> None:
        self.file, self.lines, self.inventory, self.rule_check = file, lines, inventory, rule_check
        self.errors: list[ScenarioError] = []
        self.area: set[str] = set()
        self._blocks = {name: self._headers(name) for name in _SECTIONS}

    def _headers(self, name: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[?\s*{name}\s*\]\]?\s*(#.*)?$")
        return [n for n, line in enumerate(self.lines, start=1) if pattern.match(line)]

    def _span(self, name: str, number: int) -> tuple[int, int]:
        headers = self._blocks[name]
        start = headers[number] if number < len(headers) else 1
        following = [n for h in self._blocks.values() for n in h if n > start]
        return start, (min(following) - 1 if following else len(self.lines))

    def line_of(self, key: str, span: tuple[int, int]) -> int:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for n in range(max(span[0], 1), span[1] + 1):
            if pattern.match(self.lines[n - 1]):
                return n
        return span[0]

    def error(self, span: tuple[int, int], item: str | None, key: str | None, message: str) -> None:
        line = self.line_of(key, span) if key else span[0]
        self.errors.append(ScenarioError(self.file, line, item, key, message))

    def read(self, doc: dict[str, Any], stem: str) -> Scenario | None:
        whole = (1, len(self.lines))
        for key in doc:
            if key not in _SECTIONS:
                self.error(whole, None, key, f"unknown section; expected {sorted(_SECTIONS)}")
        meta = self._table(doc, "scenario")
        span = self._span("scenario", 0)
        if meta is None:
            self.error(whole, None, None, "a scenario needs a [scenario] table (title, briefing, start, duration)")
            return None
        self._unknown(meta, _SCENARIO_FIELDS, span, "[scenario]")
        texts = {k: _paragraphs(self._text(meta, k, span, "[scenario]")) for k in ("title_en", "title_fr",
                                                                                   "briefing_en", "briefing_fr")}
        level = self._choice(meta, "level", LEVELS, span, "[scenario]")
        duration = self._offset(meta, "duration", span, "[scenario]", required=True)
        start = self._start(meta, span)
        speed = meta.get("speed", 1.0)
        if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0 < speed <= 3600:
            self.error(span, "[scenario]", "speed", f"speed must be a number above 0 and at most 3600, not {speed!r}")
            speed = 1.0
        area = self._area(meta, span)
        self.area = set(area)
        conditions = self._conditions(doc, start)
        injections = self._injections(doc, duration)
        expectations = self._expectations(doc)
        seed, author = meta.get("seed", 0), meta.get("author", "")
        recording = self._recording(meta, span, injections)
        if not isinstance(seed, int) or isinstance(seed, bool):
            self.error(span, "[scenario]", "seed", "seed must be an integer")
        if self.errors:
            return None
        return Scenario(
            id=str(meta.get("id") or stem), level=level, duration_ms=duration, start_ms=start, speed=float(speed),
            author=str(author), seed=seed, area=area, recording=str(recording), conditions=conditions,
            injections=tuple(sorted(injections, key=lambda i: i.at_ms)), expectations=tuple(expectations),
            source=self.file, **texts,
        )

    def _recording(self, meta: dict[str, Any], span: tuple[int, int], injections: list[Injection]) -> str:
        """The recorded incident played as the feed, as an absolute path (written relative to the file)."""
        value = meta.get("recording")
        if value is None:
            return ""
        path = Path(self.file).parent / str(value)
        if not isinstance(value, str) or not path.is_file():
            self.error(span, "[scenario]", "recording", f"no recorded incident file at {path}")
        for injection in injections:
            if injection.kind not in ("force", "ramp"):
                self.error((injection.line, injection.line), f"injection {injection.id!r}", None,
                           "a recorded incident plays as it happened: only 'force' and 'ramp' apply to it")
        return str(path.resolve())

    def _table(self, doc: dict[str, Any], name: str) -> dict[str, Any] | None:
        value = doc.get(name)
        if value is not None and not isinstance(value, dict):
            self.error((1, len(self.lines)), None, name, f"'{name}' must be a table written [{name}]")
            return None
        return value

    def _unknown(self, table: dict[str, Any], allowed: set[str], span: tuple[int, int], item: str) -> None:
        for key in sorted(set(table) - allowed):
            self.error(span, item, key, f"unknown field; allowed: {', '.join(sorted(allowed))}")

    def _text(self, table: dict[str, Any], key: str, span: tuple[int, int], item: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(span, item, key if key in table else None, f"'{key}' is required: non-empty text")
            return ""
        return value.strip()

    def _choice(self, table: dict[str, Any], key: str, choices: tuple[str, ...], span: tuple[int, int],
                item: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if value not in choices:
            self.error(span, item, key if key in table else None,
                       f"'{key}' is {value!r}; expected one of {', '.join(choices)}")
            return choices[0]
        return str(value)

    def _offset(self, table: dict[str, Any], key: str, span: tuple[int, int], item: str,
                required: bool = False) -> int | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error(span, item, None, f"'{key}' is required, as \"+MM:SS\" or \"+HH:MM:SS\"")
            return 0 if required else None
        try:
            return parse_offset(value)
        except ValueError as exc:
            self.error(span, item, key, str(exc))
            return 0

    def _start(self, meta: dict[str, Any], span: tuple[int, int]) -> int:
        value = meta.get("start")
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.datetime.fromisoformat(value)
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            self.error(span, "[scenario]", "start" if "start" in meta else None,
                       "'start' is the simulated start with its offset, e.g. 2026-01-13T02:10:00+01:00")
            return 0
        return int(value.timestamp() * 1000)

    def _area(self, meta: dict[str, Any], span: tuple[int, int]) -> tuple[str, ...]:
        area = meta.get("area", [])
        if not isinstance(area, list) or not all(isinstance(d, str) for d in area):
            self.error(span, "[scenario]", "area", "'area' is a list of district names")
            return ()
        known = set(self.inventory.districts())
        for district in area:
            if district not in known:
                self.error(span, "[scenario]", "area", f"unknown district {district!r}; known: {sorted(known)}")
        return tuple(area)

    def _conditions(self, doc: dict[str, Any], start_ms: int) -> Conditions:
        table = self._table(doc, "conditions") or {}
        span = self._span("conditions", 0)
        self._unknown(table, {"season", "weather"}, span, "[conditions]")
        season = self._choice(table, "season", SEASONS, span, "[conditions]", default=_season_of(start_ms))
        weather = self._choice(table, "weather", tuple(WEATHER_OFFSET_C), span, "[conditions]", default="clear")
        if start_ms and season != _season_of(start_ms):
            self.error(span, "[conditions]", "season",
                       f"season {season!r} does not match the start date, which is in {_season_of(start_ms)}")
        return Conditions(season, weather)

    def _array(self, doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
        tables = doc.get(name, [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.error((1, len(self.lines)), None, name, f"'{name}' must be an array of tables written [[{name}]]")
            return []
        return tables

    def _injections(self, doc: dict[str, Any], duration_ms: int | None) -> list[Injection]:
        out, seen = [], set()
        for number, table in enumerate(self._array(doc, "inject")):
            span = self._span("inject", number)
            item = f"injection {table.get('id', number + 1)!r}"
            kind = self._choice(table, "kind", INJECTION_KINDS, span, item)
            self._unknown(table, _INJECT_COMMON | _INJECT_FIELDS[kind], span, item)
            at = self._offset(table, "at", span, item, required=True) or 0
            if duration_ms and at > duration_ms:
                self.error(span, item, "at", "the injection comes after the end of the drill")
            inject_id = str(table.get("id") or f"inject-{number + 1}")
            if inject_id in seen:
                self.error(span, item, "id", "two injections have this id")
            seen.add(inject_id)
            injection = Injection(
                id=inject_id, at_ms=at, kind=kind, asset=str(table.get("asset", "")),
                fault=str(table.get("fault", "sensor_silence" if kind == "silence" else "")),
                metric=str(table.get("metric", "")), value=self._number(table, "to" if kind == "ramp" else "value",
                                                                        span, item, kind in ("force", "ramp")),
                ramp_from=self._number(table, "from", span, item, kind == "ramp"),
                over_ms=self._offset(table, "over", span, item, required=kind == "ramp"),
                duration_ms=self._offset(table, "duration", span, item), district=str(table.get("district", "")),
                count=table.get("count", 0) if isinstance(table.get("count", 0), int) else 0,
                label_en=str(table.get("label_en", "")), label_fr=str(table.get("label_fr", "")), line=span[0],
            )
            self._check_injection(injection, table, span, item)
            out.append(injection)
        return out

    def _number(self, table: dict[str, Any], key: str, span: tuple[int, int], item: str,
                required: bool) -> float | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error(span, item, None, f"'{key}' is required (a number)")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(span, item, key, f"'{key}' must be a number, not {value!r}")
            return None
        return float(value)

    def _check_injection(self, inj: Injection, table: dict[str, Any], span: tuple[int, int], item: str) -> None:
        if inj.kind == "burst":
            self._check_burst(inj, table, span, item)
            return
        asset = self.inventory.resolve(inj.asset) if inj.asset else None
        if asset is None:
            self.error(span, item, "asset" if "asset" in table else None,
                       f"'asset' must name an asset of the inventory, not {inj.asset!r}")
            return
        self._check_area(asset.district, span, item, "asset")
        if inj.kind in ("fault", "silence"):
            if inj.kind == "fault" and inj.fault not in FAULT_KINDS:
                self.error(span, item, "fault", f"'fault' is {inj.fault!r}; expected one of {', '.join(FAULT_KINDS)}")
                return
            try:
                check_fault(Fault(inj.fault, asset.id, 0, inj.duration_ms, inj.value), self.inventory)
            except ValueError as exc:
                self.error(span, item, "asset", str(exc))
        elif inj.metric not in KIND_METRICS.get(asset.kind, ()):
            self.error(span, item, "metric" if "metric" in table else None,
                       f"a {asset.kind} reports {sorted(KIND_METRICS.get(asset.kind, ()))}, not {inj.metric!r}")

    def _check_burst(self, inj: Injection, table: dict[str, Any], span: tuple[int, int], item: str) -> None:
        if inj.fault not in FAULT_KINDS or TARGET_KINDS[inj.fault] is None:
            kinds = [k for k in FAULT_KINDS if TARGET_KINDS[k] is not None]
            self.error(span, item, "fault" if "fault" in table else None,
                       f"a burst repeats one fault on many assets; 'fault' is one of {', '.join(kinds)}")
        self._check_area(inj.district, span, item, "district")
        if inj.district not in set(self.inventory.districts()):
            self.error(span, item, "district" if "district" in table else None,
                       f"'district' must name a district of the inventory, not {inj.district!r}")
        if not isinstance(table.get("count"), int) or not 1 <= table["count"] <= 5000:
            self.error(span, item, "count" if "count" in table else None, "'count' is a whole number from 1 to 5000")

    def _check_area(self, district: str, span: tuple[int, int], item: str, key: str) -> None:
        if self.area and district not in self.area:
            self.error(span, item, key, f"{district!r} is outside the drill's area {sorted(self.area)}")

    def _expectations(self, doc: dict[str, Any]) -> list[Expectation]:
        out, seen = [], set()
        for number, table in enumerate(self._array(doc, "expect")):
            span = self._span("expect", number)
            item = f"expectation {table.get('id', number + 1)!r}"
            self._unknown(table, _EXPECT_FIELDS, span, item)
            action = self._choice(table, "action", ACTIONS, span, item)
            rule_id, asset = self._text(table, "rule", span, item), self._text(table, "asset", span, item)
            resolved = self.inventory.resolve(asset)
            asset_id = resolved.id if resolved is not None else asset
            district = resolved.district if resolved is not None else asset.removeprefix("district:")
            if asset:
                self._check_area(district, span, item, "asset")
            if rule_id and asset and self.rule_check is not None:
                problem = self.rule_check(rule_id, asset_id)
                if problem:
                    self.error(span, item, "rule", problem)
            within = self._offset(table, "within", span, item, required=action != "refrain") or 0
            contains = table.get("contains", "")
            if not isinstance(contains, str):
                self.error(span, item, "contains", "'contains' is a word or phrase")
                contains = ""
            verbs = table.get("verbs", ["shelve", "out-of-service"] if action == "refrain" else [])
            if not isinstance(verbs, list) or not set(verbs) <= set(ACTIONS) - {"refrain"}:
                self.error(span, item, "verbs", f"'verbs' lists actions among {', '.join(ACTIONS[:-1])}")
                verbs = []
            points = table.get("points", 1)
            if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
                self.error(span, item, "points", "'points' is a positive number")
                points = 1
            expect_id = str(table.get("id") or f"expect-{number + 1}")
            if expect_id in seen:
                self.error(span, item, "id", "two expectations have this id")
            seen.add(expect_id)
            out.append(Expectation(expect_id, action, rule_id, asset_id, within, contains.strip(), tuple(verbs),
                                   float(points), span[0]))
        return out


def _paragraphs(text: str) -> str:
    """Lines of a multi-line TOML string joined into paragraphs (a blank line still parts two)."""
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text))


def _season_of(start_ms: int) -> str:
    month = dt.datetime.fromtimestamp(start_ms / 1000, dt.UTC).month
    return next(season for season, months in SEASON_MONTHS.items() if month in months)
