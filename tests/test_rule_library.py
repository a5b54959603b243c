"""What the historian is told is in force is the version of each rule file that runs, not what is on disk."""

from __future__ import annotations

from pathlib import Path

from alerts.rules.library import RuleLibrary
from tests.engine_harness import RULES

EXTRA = """
[[rule]]
id = "container_full"
description = "Container over 90 %"
priority = "low"
kind = "threshold"
target = { domain = "waste", kind = "container" }
metric = "fill_pct"
hi = 90
"""


def settle(library: RuleLibrary) -> object:
    """Poll until the edit is taken (a file is read once its size and time stop changing)."""
    for _ in range(3):
        applied = library.poll()
        if applied is not None:
            return applied
    return None


def test_a_refused_file_keeps_its_last_good_bytes_in_force_while_another_file_changes(tmp_path: Path) -> None:
    main, extra = tmp_path / "default.toml", tmp_path / "extra.toml"
    main.write_text(RULES)
    extra.write_text(EXTRA)
    library = RuleLibrary([main, extra])
    library.load()
    assert library.bodies_in_force() == {main: RULES.encode(), extra: EXTRA.encode()}

    main.write_text(RULES + "\n[[rule]\n")  # a syntax error: refused, the last good version keeps running
    assert settle(library) is None and library.errors
    extra.write_text(EXTRA.replace("hi = 90", "hi = 80"))
    assert settle(library) is not None

    assert library.bodies_in_force() == {main: RULES.encode(), extra: EXTRA.replace("hi = 90", "hi = 80").encode()}
