"""Rule files: good rules load, every problem names file, line, rule and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alerts import RuleFileError, load_rules
from alerts.rules import Kind

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
[[rule]]
id = "lamp_fault"
priority = "low"
kind = "discrete"
target = { domain = "lighting", kind = "luminaire" }
metric = "fault"
equals = true
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_error(tmp_path: Path, text: str) -> RuleFileError:
    ruleset, errors = load_rules([write(tmp_path, "rules.toml", GOOD + "\n" + text)])
    assert [r.id for r in ruleset] == ["lamp_fault"], "the good rule still loads"
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


BROKEN = [
    # (rule text after the good rule: its header is line 9, fields follow), line, field, words in message
    ('[[rule]]\nid = "x"\npriority = "urgent"\nkind = "discrete"\nmetric = "fault"\nequals = true\n',
     11, "priority", "unknown priority 'urgent'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "treshold"\nmetric = "fault"\n', 12, "kind", "unknown kind"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "threshold"\nhi = 3\n', 9, "metric", "is required"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "threshold"\nmetric = "temp_c"\nlo = 30\nhi = 20\n',
     14, "lo", "lo 30 must be below hi 20"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "discrete"\nmetric = "fault"\nequals = true\nlatchng = true\n',
     15, "latchng", "did you mean 'latching'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "discrete"\nmetric = "fault"\nequals = true\n'
     'on_delay_s = "soon"\n', 15, "on_delay_s", "must be an integer or a number"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "threshold"\nmetric = "presure_bar"\nhi = 2\n\n'
     '[rule.target]\nkind = "pressure_sensor"\n', 13, "metric", "does not report 'presure_bar'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "discrete"\nmetric = "fault"\nequals = true\n\n'
     '[rule.target]\ndomain = "lighting"\nkind = "boiler"\n', 18, "target.kind", "belongs to domain 'heating'"),
    ('[[rule]]\nid = "lamp_fault"\npriority = "low"\nkind = "stale"\n', 10, "id", "duplicate rule id"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "discrete"\nmetric = "fault"\nequals = true\n'
     'suppressed_by_parent = "nope"\n', 15, "suppressed_by_parent", "unknown rule 'nope'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "composite"\nany = ["lamp_fault", "ghost"]\n',
     13, "any", "'ghost'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "stale"\nafter_s = 60\nperiods = 3\n', 14, "periods",
     "either after_s or periods"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "schedule"\nmetric = "on"\nequals = true\nwhen = "dusk"\n',
     15, "when", "unknown condition 'dusk'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "threshold"\nmetric = "temp_c"\nlo = "attr:min * x"\n',
     14, "lo", "neither a number nor 'attr:<name>'"),
    ('[[rule]]\nid = "x"\npriority = "low"\nkind = "group"\nmetric = "on"\nmin_fraction = 1.5\nequals = false\n',
     14, "min_fraction", "between 0 and 1"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), BROKEN)
def test_broken_rule_is_reported_at_its_line(tmp_path: Path, text: str, line: int, field: str,
                                             words: str) -> None:
    error = only_error(tmp_path, text)
    assert (error.line, error.field) == (line, field)
    assert words in error.message
    assert str(error).startswith(f"{tmp_path / 'rules.toml'}:{line}:")


def test_error_names_the_rule(tmp_path: Path) -> None:
    error = only_error(tmp_path, '[[rule]]\nid = "cold"\npriority = "low"\nkind = "threshold"\nmetric = "temp_c"\n')
    assert error.rule_id == "cold"
    assert "rule 'cold' field 'hi'" in str(error)


def test_syntax_error_skips_the_file_and_keeps_others(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", GOOD.replace('"fault"', "fault", 1).replace('id = "lamp_fault"', 'id = "a"'))
    good = write(tmp_path, "good.toml", GOOD)
    ruleset, [error] = load_rules([bad, good])
    assert [r.id for r in ruleset] == ["lamp_fault"]
    assert (error.file, error.line, error.rule_id) == (str(bad), 6, None)
    assert "syntax" in error.message


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    ruleset, [error] = load_rules([tmp_path / "absent.toml"])
    assert len(ruleset) == 0 and "cannot read" in error.message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    ruleset, [error] = load_rules([write(tmp_path, "r.toml", 'version = 2\n\n' + GOOD)])
    assert len(ruleset) == 1 and (error.line, error.field) == (1, "version")


def test_duplicate_across_files_names_the_first_definition(tmp_path: Path) -> None:
    first, second = write(tmp_path, "a.toml", GOOD), write(tmp_path, "b.toml", "\n\n" + GOOD)
    ruleset, [error] = load_rules([first, second])
    assert len(ruleset) == 1
    assert (error.file, error.line) == (str(second), 4)
    assert f"{first}:1" in error.message


def test_threshold_fields_load_as_values(tmp_path: Path) -> None:
    text = ('[[rule]]\nid = "p"\npriority = "medium"\nkind = "threshold"\nmetric = "flow_m3h"\n'
            'hi = "attr:nominal_m3h * 1.8"\nhihi = 500\npriorities = { hihi = "critical" }\n'
            'target = { kind = "flow_meter" }\n')
    ruleset, errors = load_rules([write(tmp_path, "r.toml", text)])
    assert errors == []
    [rule] = ruleset
    assert rule.kind == Kind.THRESHOLD and rule.priority_of("hihi") == "critical"
    assert dict(rule.limits)["hihi"] == 500.0 and rule.line == 1


def test_default_rules_load_cleanly_and_cover_every_simulated_fault() -> None:
    ruleset, errors = load_rules([ROOT / "assets" / "rules" / "default.toml"])
    assert errors == []
    ids = {r.id for r in ruleset}
    assert {"cabinet_power_loss", "lamp_fault", "boiler_fault", "container_fire", "main_burst_flow",
            "main_burst_pressure", "pressure_drop", "water_silent", "cabinet_dark_at_night"} <= ids
    assert {r.kind for r in ruleset} >= {Kind.THRESHOLD, Kind.DISCRETE, Kind.STALE, Kind.GROUP, Kind.SCHEDULE,
                                         Kind.RATE_OF_CHANGE}
    assert {r.target.domain for r in ruleset} == {"lighting", "heating", "waste", "water"}


def test_every_example_in_the_rules_guide_is_valid(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", guide, flags=re.DOTALL)
    assert len(blocks) >= 7
    default = ROOT / "assets" / "rules" / "default.toml"
    for number, block in enumerate(blocks):
        renamed = re.sub(r'^id = "(.*)"', r'id = "doc_\1"', block, flags=re.MULTILINE)
        ruleset, errors = load_rules([default, write(tmp_path, f"example{number}.toml", renamed)])
        assert errors == [], block
        assert any(rule.id.startswith("doc_") for rule in ruleset)


def test_descriptions_in_other_languages(tmp_path: Path) -> None:
    text = GOOD + 'description = "Lamp fault"\ndescription_fr = "Défaut de lampe"\n'
    ruleset, errors = load_rules([write(tmp_path, "rules.toml", text)])
    assert not errors
    rule = next(iter(ruleset))
    assert (rule.description, rule.descriptions) == ("Lamp fault", {"fr": "Défaut de lampe"})
    error = only_error(tmp_path, '[[rule]]\nid = "x"\npriority = "low"\nkind = "discrete"\nmetric = "fault"\n'
                                 'equals = true\ndescription_french = "non"\n')
    assert error.field == "description_french"


def test_every_default_rule_is_described_in_french() -> None:
    ruleset, errors = load_rules([ROOT / "assets" / "rules" / "default.toml"])
    assert not errors
    assert [r.id for r in ruleset if not r.descriptions.get("fr")] == []
