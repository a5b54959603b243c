"""Read rule files (TOML), validate every rule, and report problems with file, line, rule and field.

A broken rule or file is reported and skipped; the good rules still load.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alerts.records import Priority
from alerts.rules.kinds import FIELDS, NUMBER, SCALAR, parse_kind
from alerts.rules.model import Kind, Rule, RuleSet
from alerts.rules.targets import Target
from feeds.catalogue import KIND_METRICS
from feeds.inventory import KINDS
from feeds.model import Domain

COMMON_FIELDS = (
    "id", "description", "priority", "kind", "target", "latching",
    "on_delay_s", "off_delay_s", "suppressed_by_parent", "suppressed_by",
)
TARGET_FIELDS = ("domain", "kind", "district", "id", "attrs")
_RULE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_TRANSLATED_DESCRIPTION = re.compile(r"^description_([a-z]{2})$")
"""``description_fr = "..."``: the description in another language, for consoles that speak it."""
_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_TYPE_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
               list: "a list", dict: "a table"}


class RuleFileError(ValueError):
    """One problem in a rule file: where it is (file, line), which rule and field, and what is wrong."""

    def __init__(self, file: str, line: int, rule_id: str | None, field: str | None, message: str) -> None:
        super().__init__(message)
        self.file, self.line, self.rule_id, self.field, self.message = file, line, rule_id, field, message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        rule = f" rule {self.rule_id!r}" if self.rule_id else ""
        field = f" field {self.field!r}" if self.field else ""
        return f"{where}:{rule}{field}: {self.message}" if rule or field else f"{where}: {self.message}"


def load_rules(paths: Iterable[Path | str]) -> tuple[RuleSet, list[RuleFileError]]:
    """Load every rule that validates; never raises for content problems."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    for path in paths:
        file_rules, file_errors = load_file(Path(path))
        rules.extend(file_rules)
        errors.extend(file_errors)
    kept, cross_errors = cross_check(rules)
    return RuleSet(tuple(kept)), errors + cross_errors


def load_texts(files: dict[str, str]) -> tuple[RuleSet, list[RuleFileError]]:
    """Rule files given as text by name (e.g. the versions a historian recorded in force)."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    for name, text in files.items():
        rules.extend(_parse_file(Path(name), text, errors))
    kept, cross_errors = cross_check(rules)
    return RuleSet(tuple(kept)), errors + cross_errors


def load_file(path: Path) -> tuple[list[Rule], list[RuleFileError]]:
    """The rules of one file that validate on their own, and the problems of the others."""
    _, rules, errors = read_file(path)
    return rules, errors


def read_file(path: Path) -> tuple[bytes | None, list[Rule], list[RuleFileError]]:
    """The file's bytes (None when it cannot be read) and, parsed from those very bytes, :func:`load_file`'s
    rules and problems: what is recorded as in force is what was parsed, read once."""
    errors: list[RuleFileError] = []
    try:
        body = path.read_bytes()
        text = body.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(RuleFileError(str(path), 0, None, None, f"cannot read the file: {exc}"))
        return None, [], errors
    return body, _parse_file(path, text, errors), errors


def _parse_file(path: Path, text: str, errors: list[RuleFileError]) -> list[Rule]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found[1]) if found else 0
        errors.append(RuleFileError(str(path), line, None, None, f"TOML syntax error: {exc}; file skipped"))
        return []
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, start=1) if _HEADER.match(line)]
    for key in doc:
        if key != "rule":
            errors.append(RuleFileError(str(path), _key_line(lines, key, 0, len(lines)), None, key,
                                        "unknown top-level key; rules are [[rule]] tables"))
    tables = doc.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        errors.append(RuleFileError(str(path), _key_line(lines, "rule", 0, len(lines)), None, "rule",
                                    "'rule' must be an array of tables written as [[rule]]"))
        return []
    out = []
    for number, table in enumerate(tables):
        start = headers[number] if number < len(headers) else 1
        end = headers[number + 1] - 1 if number + 1 < len(headers) else len(lines)
        reader = _RuleReader(str(path), table, lines, start, end, errors)
        rule = reader.build()
        if rule is not None:
            out.append(rule)
    return out


def _key_line(lines: list[str], key: str, start: int, end: int) -> int:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for n in range(max(start, 1), end + 1):
        if pattern.match(lines[n - 1]):
            return n
    return start


class _RuleReader:
    """Typed access to one [[rule]] table, with each error placed on the line of its field."""

    def __init__(self, file: str, table: dict[str, Any], lines: list[str], start: int, end: int,
                 errors: list[RuleFileError]) -> None:
        self.file, self.table, self.lines, self.start, self.end = file, table, lines, start, end
        self.errors = errors
        self.failed = False
        rule_id = table.get("id")
        self.rule_id = rule_id if isinstance(rule_id, str) else None

    def line_of(self, name: str) -> int:
        """Line of a field (``target.kind`` looks in a ``[rule.target]`` section first)."""
        head, _, sub = name.partition(".")
        if sub:
            section = re.compile(rf"^\s*\[\s*rule\.{re.escape(head)}\s*\]")
            for n in range(self.start, self.end + 1):
                if section.match(self.lines[n - 1]):
                    return _key_line(self.lines, sub, n + 1, self.end)
        return _key_line(self.lines, head, self.start, self.end)

    def error(self, name: str, message: str) -> None:
        self.failed = True
        self.errors.append(RuleFileError(self.file, self.line_of(name), self.rule_id, name, message))

    def has(self, name: str) -> bool:
        return name in self.table

    def get(self, name: str, types: tuple[type, ...], default: Any = None, required: bool = False) -> Any:
        if name not in self.table:
            if required:
                self.error(name, "is required")
            return default
        value = self.table[name]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            wanted = " or ".join(dict.fromkeys(_TYPE_NAMES[t] for t in types))
            self.error(name, f"must be {wanted}, not {value!r}")
            return default
        return value

    def build(self) -> Rule | None:
        rule_id = self.get("id", (str,), required=True)
        if rule_id is not None and not _RULE_ID.match(rule_id):
            self.error("id", "may contain only letters, digits, '_', '-' and '.'")
        priority = self._choice("priority", Priority, required=True)
        kind = self._choice("kind", Kind, required=True)
        if kind is None:
            return None
        allowed = set(COMMON_FIELDS) | set(FIELDS[kind])
        for key in self.table:
            if key not in allowed and not _TRANSLATED_DESCRIPTION.match(key):
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.error(key, f"unknown field for a {kind} rule{hint}")
        common = {
            "description": self.get("description", (str,), ""),
            "descriptions": {match.group(1): self.get(key, (str,), "")
                             for key in self.table if (match := _TRANSLATED_DESCRIPTION.match(key))},
            "latching": self.get("latching", (bool,), False),
            "on_delay_s": self._delay("on_delay_s"),
            "off_delay_s": self._delay("off_delay_s"),
            "suppressed_by_parent": self.get("suppressed_by_parent", (str,)),
            "suppressed_by": self.get("suppressed_by", (str,)),
            "target": self._target(),
        }
        specific = parse_kind(kind, self)
        self._check_metric(kind, common["target"], specific)
        if self.failed:
            return None
        return Rule(id=rule_id, priority=priority, kind=kind, file=self.file, line=self.start,
                    **common, **specific)

    def _choice(self, name: str, enum: type[Priority] | type[Kind], required: bool) -> Any:
        value = self.get(name, (str,), required=required)
        if value is None:
            return None
        if value not in enum.__members__.values():
            self.error(name, f"unknown {name} {value!r}; use one of {', '.join(e.value for e in enum)}")
            return None
        return enum(value)

    def _delay(self, name: str) -> float:
        value = self.get(name, NUMBER, 0.0)
        if value < 0:
            self.error(name, f"must not be negative, not {value}")
        return float(value)

    def _target(self) -> Target:
        raw = self.get("target", (dict,), {})
        for key, value in raw.items():
            if key not in TARGET_FIELDS:
                self.error(f"target.{key}", f"unknown target field; use {', '.join(TARGET_FIELDS)}")
            elif key == "attrs":
                if not isinstance(value, dict) or not all(isinstance(v, SCALAR) for v in value.values()):
                    self.error("target.attrs", "must be a table of attribute = value")
            elif not isinstance(value, str):
                self.error(f"target.{key}", f"must be a string, not {value!r}")
        domain, kind = raw.get("domain"), raw.get("kind")
        if isinstance(domain, str) and domain not in Domain.__members__.values():
            self.error("target.domain", f"unknown domain {domain!r}; use one of {', '.join(Domain)}")
        if isinstance(kind, str) and isinstance(domain, str) and kind in KINDS and KINDS[kind] != domain:
            self.error("target.kind", f"kind {kind!r} belongs to domain {KINDS[kind].value!r}, not {domain!r}")
        if self.failed:
            return Target()
        attrs = raw.get("attrs", {})
        return Target(domain=domain, kind=kind, district=raw.get("district"), id=raw.get("id"),
                      attrs=tuple(sorted(attrs.items())))

    def _check_metric(self, kind: Kind, target: Target, specific: dict[str, Any]) -> None:
        metric = specific.get("metric")
        reporter = specific.get("member_kind") if kind == Kind.GROUP else target.kind
        if kind == Kind.GROUP and specific.get("over") == "district":
            reporter = target.kind
        known = KIND_METRICS.get(reporter or "")
        if metric is not None and known is not None and metric not in known:
            self.error("metric", f"kind {reporter!r} does not report {metric!r}; it reports "
                                 f"{', '.join(sorted(known))}")


def cross_check(rules: list[Rule]) -> tuple[list[Rule], list[RuleFileError]]:
    """The rules that agree with each other (unique ids, references to loaded rules), and the problems of
    the others: duplicate ids, unknown parents of suppression, composite members that are not loaded."""
    errors: list[RuleFileError] = []
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            first = by_id[rule.id]
            errors.append(_rule_error(rule, "id", f"duplicate rule id, first defined at {first.file}:{first.line}"))
        else:
            by_id[rule.id] = rule
    kept = []
    for rule in by_id.values():
        bad = [(name, ref) for name, ref in (("suppressed_by_parent", rule.suppressed_by_parent),
                                             ("suppressed_by", rule.suppressed_by))
               if ref is not None and (ref not in by_id or ref == rule.id)]
        for name, ref in bad:
            errors.append(_rule_error(rule, name, f"names unknown rule {ref!r}" if ref != rule.id
                                      else "a rule cannot suppress itself"))
        if not bad:
            kept.append(rule)
    good = {r.id: r for r in kept}
    out = []
    for rule in kept:
        refs = rule.all_of or rule.any_of
        field = "all" if rule.all_of else "any"
        bad = [ref for ref in refs if ref not in good or good[ref].kind == Kind.COMPOSITE or ref == rule.id]
        if bad:
            errors.append(_rule_error(rule, field, f"{', '.join(map(repr, bad))}: not a loaded, non-composite "
                                                   "rule"))
            continue
        out.append(rule)
    return out, errors


def _rule_error(rule: Rule, field: str, message: str) -> RuleFileError:
    try:
        lines = Path(rule.file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return RuleFileError(rule.file, rule.line, rule.id, field, message)
    end = next((n - 1 for n in range(rule.line + 1, len(lines) + 1) if _HEADER.match(lines[n - 1])), len(lines))
    return RuleFileError(rule.file, _key_line(lines, field, rule.line, end), rule.id, field, message)

