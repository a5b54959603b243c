"""The French console: a complete, compiled catalogue that Qt actually loads."""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from hypervisor.app import install_translation

ROOT = Path(__file__).resolve().parent.parent
FRENCH = ROOT / "assets" / "translations" / "hypervisor_fr.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

Message = tuple[str, str]


def _load_update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "docs" / "update_translations.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update = _load_update_script()


def _messages(ts: Path) -> dict[Message, str | None]:
    """(context, source) -> finished translation, or None while unfinished; obsolete strings left out."""
    found: dict[Message, str | None] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            text = translation.text if translation is not None and kind is None else None
            found[(name, message.findtext("source") or "")] = text or None
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[Message]:
    """Every string the code asks Qt to translate, as lupdate sees it right now."""
    ts = tmp_path_factory.mktemp("lupdate") / "current.ts"
    update.extract(ts, update.source_files())
    return set(_messages(ts))


@pytest.fixture(scope="module")
def french() -> dict[Message, str | None]:
    return _messages(FRENCH)


def test_every_string_in_the_code_has_a_french_translation(
    extracted: set[Message], french: dict[Message, str | None]
) -> None:
    assert len(extracted) > 100
    missing = sorted(m for m in extracted if not french.get(m))
    assert not missing, (
        f"{len(missing)} strings have no finished French translation "
        "(run `python docs/update_translations.py`, translate, run it again):\n"
        + "\n".join(f"  [{context}] {source!r}" for context, source in missing)
    )


def test_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "hypervisor_fr.qm"
    update.compile_catalogue(FRENCH, fresh)
    assert fresh.read_bytes() == FRENCH.with_suffix(".qm").read_bytes(), (
        "hypervisor_fr.qm is out of date: run `python docs/update_translations.py` and commit both files"
    )


def test_translations_keep_every_placeholder(french: dict[Message, str | None]) -> None:
    broken = [
        f"  [{context}] {source!r} -> {text!r}"
        for (context, source), text in sorted(french.items())
        if text and Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text))
    ]
    assert not broken, "translations whose {placeholders} differ from the source:\n" + "\n".join(broken)


def _translation_calls(tree: ast.AST) -> list[tuple[ast.Call, str | None]]:
    """Calls to QCoreApplication.translate (or its ``translate`` alias), self.tr and bare tr, with the class around."""
    calls: list[tuple[ast.Call, str | None]] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                func = child.func
                if (isinstance(func, ast.Name) and func.id in ("translate", "tr")) or (
                    isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and (func.value.id, func.attr) in (("QCoreApplication", "translate"), ("self", "tr"))
                ):
                    calls.append((child, cls))
            visit(child, child.name if isinstance(child, ast.ClassDef) else cls)

    visit(tree, None)
    return calls


def _unreachable(call: ast.Call, cls: str | None, extracted: set[Message]) -> str | None:
    """Why lupdate cannot put this call's string in the catalogue Qt looks it up in, or None if it can."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "tr":
        return "bare tr(): lupdate files it under an empty context, not the one used at run time"
    literals = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in call.args]
    if isinstance(func, ast.Attribute) and func.attr == "tr":
        context, text = cls, literals[0] if literals else None
    else:
        context, text = [*literals, None, None][:2]
        if context is None:
            return "context is not a string literal"
    if text is None:
        return "source text is not a string literal"
    if (context, text) not in extracted:
        return f"lupdate does not see ({context!r}, {text!r}) (inside an f-string?)"
    return None


def test_every_translation_call_reaches_the_catalogue(extracted: set[Message]) -> None:
    problems = []
    for path in update.source_files():
        for call, cls in _translation_calls(ast.parse(path.read_text(encoding="utf-8"))):
            reason = _unreachable(call, cls, extracted)
            if reason:
                problems.append(f"  {path.relative_to(ROOT)}:{call.lineno}: {reason}")
    assert not problems, "strings the French console would show in English:\n" + "\n".join(problems)


def test_french_console_and_back_to_english(qapp: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    from widgets.alarms.dialogs import ShelveDialog

    try:
        assert install_translation(qapp, "fr") == "fr"
        assert QCoreApplication.translate("AlarmPanel", "Acknowledge") == "Acquitter"
        flood = QCoreApplication.translate(
            "AlarmPanel", "Alarm flood since {time}: {count} new alarms in {minutes} min — {grouping}"
        ).format(time="14:02", count=37, minutes=5, grouping="")
        assert flood.startswith("Avalanche d'alarmes depuis 14:02 : 37 nouvelles alarmes en 5 min")
        dialog = ShelveDialog(2)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Mettre des alarmes en attente"
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"
    finally:
        assert install_translation(qapp, "en") == "en"
    assert QCoreApplication.translate("AlarmPanel", "Acknowledge") == "Acknowledge"
