"""Writing a report's tables as CSV files, one per table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """``folder/<name>.csv`` for each table (created with its parents); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False)
        written.append(path)
    return written
