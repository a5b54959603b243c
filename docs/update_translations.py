"""Refresh the console's translation catalogues from the code, then compile them.

Usage (from the repository root)::

    python docs/update_translations.py        # every language in assets/translations
    python docs/update_translations.py de     # start (or refresh) German: hypervisor_de.ts

Runs ``pyside6-lupdate`` over every tracked (or new, not ignored) ``.py`` file under
``hypervisor/`` and ``widgets/`` into ``assets/translations/hypervisor_<lang>.ts``: existing
translations are kept, new strings arrive unfinished, strings gone from the code are marked
obsolete. Then ``pyside6-lrelease`` compiles each ``.ts`` to the ``.qm`` the console loads.
Translate the unfinished strings with Qt Linguist (``pyside6-linguist``) or a text editor and
run the script again; commit both files. See docs/i18n.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "assets" / "translations"
SOURCE_DIRS = ("hypervisor", "widgets")
SOURCE_LANGUAGE = "en"


def source_files(root: Path = ROOT) -> list[Path]:
    """The Python files whose strings the console shows: tracked or new, never git-ignored."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *SOURCE_DIRS],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        # An unpacked release has no git history: every file on disk is part of it.
        return sorted(p for d in SOURCE_DIRS for p in (root / d).rglob("*.py"))
    return sorted(root / name for name in set(listed) if name.endswith(".py") and (root / name).exists())


def catalogue(language: str) -> Path:
    """Where the catalogue of ``language`` lives, e.g. ``hypervisor_fr.ts``."""
    return TRANSLATIONS / f"hypervisor_{language}.ts"


def qt_tool(name: str) -> str:
    """PySide6's ``name`` tool: installed beside this interpreter (a virtual environment need not be on PATH)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def extract(ts: Path, files: Sequence[Path]) -> None:
    """Merge the strings of ``files`` into ``ts``, keeping translations and marking removed strings obsolete."""
    subprocess.run(
        [qt_tool("pyside6-lupdate"), "-silent", "-locations", "relative", "-source-language", SOURCE_LANGUAGE,
         *map(str, files), "-ts", str(ts)],
        check=True,
    )


def compile_catalogue(ts: Path, qm: Path) -> None:
    """Compile ``ts`` to the binary ``qm`` that QTranslator loads."""
    subprocess.run([qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def known_languages() -> list[str]:
    """Languages that already have a catalogue."""
    return sorted(p.stem.removeprefix("hypervisor_") for p in TRANSLATIONS.glob("hypervisor_*.ts"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", help="language codes (default: every existing catalogue)")
    args = parser.parse_args(argv)
    languages = args.languages or known_languages()
    if not languages:
        parser.error(f"no catalogue in {TRANSLATIONS}; name a language to start one")
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    files = source_files()
    for language in languages:
        ts = catalogue(language)
        extract(ts, files)
        compile_catalogue(ts, ts.with_suffix(".qm"))
        print(f"{ts.relative_to(ROOT)}: {len(files)} source files scanned, compiled to {ts.stem}.qm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
