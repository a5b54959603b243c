"""Rule files watched on disk: each file's last good version keeps running until a good one replaces it.

A file is read only once it is complete: its size, modification and change times and inode must be the
same at two polls in a row (an editor's atomic rename and ``cp``'s truncate-then-write both settle within
one poll), and the same again after reading. A version that does not parse or validate, an empty file
or a missing one is not applied: the file's last good rules keep running and the errors are reported
with file and line. Every accepted change gives one whole new rule set, applied in one step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alerts.rules.loader import RuleFileError, cross_check, read_file
from alerts.rules.model import Rule, RuleSet

Signature = tuple[int, int, int, int] | None
"""(size, mtime_ns, ctime_ns, inode) of a file, None when it cannot be seen."""

MAX_REPORTED_ERRORS = 50
"""Errors listed in the status; ``error_count`` says how many there are in all."""


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


@dataclass(frozen=True, slots=True)
class RulesStatus:
    """What the engine runs and what it refused: published in engine health as ``rules``."""

    files: int
    rules: int
    errors: tuple[RuleFileError, ...]
    applied_ms: int

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "rules": self.rules,
            "applied_ms": self.applied_ms,
            "error_count": len(self.errors),
            "errors": [{"file": e.file, "line": e.line, "rule": e.rule_id, "field": e.field, "message": e.message}
                       for e in self.errors[:MAX_REPORTED_ERRORS]],
        }


class RuleLibrary:
    """The rule files of a deployment, their last good versions, and the errors of refused versions."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = [Path(p) for p in paths]
        self._good: dict[Path, list[Rule]] = {p: [] for p in self.paths}
        self._good_bodies: dict[Path, bytes] = {}
        self._errors: dict[Path, list[RuleFileError]] = {p: [] for p in self.paths}
        self._cross_errors: list[RuleFileError] = []
        self._seen: dict[Path, Signature] = {}
        self._tried: dict[Path, Signature] = {}
        self.ruleset = RuleSet()
        self._applied_ms = 0

    def load(self) -> RuleSet:
        """Read every file now (at start, files are taken as complete); a file's valid rules run even when
        some of its rules do not validate, since there is no earlier version to keep."""
        for path in self.paths:
            sig = self._seen[path] = self._tried[path] = signature(path)
            body, self._good[path], self._errors[path] = read_file(path)
            if body is not None:
                self._good_bodies[path] = body
            if sig is None:
                self._errors[path] = [RuleFileError(str(path), 0, None, None, "file not found")]
        self._compose()
        return self.ruleset

    def poll(self) -> RuleSet | None:
        """Take every file that changed and has settled; the new rule set when one was applied, else None."""
        applied = False
        for path in self.paths:
            sig = signature(path)
            settled = sig == self._seen.get(path)
            self._seen[path] = sig
            if not settled or sig == self._tried.get(path):
                continue
            self._tried[path] = sig
            applied |= self._take(path, sig)
        if applied:
            self._compose()
            return self.ruleset
        return None

    @property
    def errors(self) -> list[RuleFileError]:
        return [e for path in self.paths for e in self._errors[path]] + self._cross_errors

    def status(self) -> RulesStatus:
        return RulesStatus(len(self.paths), len(self.ruleset), tuple(self.errors), self._applied_ms)

    def _take(self, path: Path, sig: Signature) -> bool:
        """Validate the new version of one file; apply it only when it is wholly good."""
        keeping = "; its last good version keeps running"
        if sig is None:
            self._errors[path] = [RuleFileError(str(path), 0, None, None, f"file not found{keeping}")]
            return False
        if sig[0] == 0:
            self._errors[path] = [RuleFileError(str(path), 0, None, None,
                                                f"file is empty (a write in progress?){keeping}")]
            return False
        body, rules, errors = read_file(path)
        if signature(path) != sig:  # changed while read: taken again once it settles
            return False
        if not errors:
            others = [r for p in self.paths if p != path for r in self._good[p]]
            errors = [e for e in cross_check(others + rules)[1] if e.file == str(path)]
        if errors:
            self._errors[path] = [RuleFileError(e.file, e.line, e.rule_id, e.field, f"{e.message}{keeping}")
                                  for e in errors]
            return False
        self._good[path], self._errors[path] = rules, []
        self._good_bodies[path] = body
        return True

    def bodies_in_force(self) -> dict[Path, bytes]:
        """The bytes of each file's version that runs (its last good one), as the historian keeps them."""
        return dict(self._good_bodies)

    def _compose(self) -> None:
        kept, self._cross_errors = cross_check([r for path in self.paths for r in self._good[path]])
        self.ruleset = RuleSet(tuple(kept))
        self._applied_ms = time.time_ns() // 1_000_000


