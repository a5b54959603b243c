"""The command line of ``hypervisor historian``, light enough to build with every start of the program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypervisor import paths
from hypervisor.historian.settings import DEFAULT_HISTORY


def add_parser(sub: Any) -> None:
    """The ``historian`` command and its actions."""
    historian = sub.add_parser("historian", help="administer a historian file: info, compact, backup, check, import")
    historian.add_argument("--historian", type=Path, default=paths.user_data_dir() / "demo-historian.sqlite",
                           help="the historian file (default: the demo's)")
    historian.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    actions = historian.add_subparsers(dest="action", required=True)
    actions.add_parser("info", help="size by table, time span, readings, compression")
    compact = actions.add_parser("compact", help="write keyframes, compact closed hours, apply retention now")
    compact.add_argument("--raw-days", type=float, default=DEFAULT_HISTORY.raw_retention_days,
                         help="days of readings kept (then only rollups)")
    backup = actions.add_parser("backup", help="copy the file while it is in use (SQLite online backup)")
    backup.add_argument("dest", type=Path)
    actions.add_parser("check", help="integrity, every block readable, the chain of keyframes whole")
    importing = actions.add_parser("import", help="past telemetry from CSV or Parquet")
    importing.add_argument("file", type=Path)
    importing.add_argument("--domain", default="", help="domain recorded with the readings")
    rekeying = actions.add_parser("rekey", help="rewrite the keyframes with a full one every N (files of"
                                  " version 4 and older hold an alarm list in every keyframe)")
    rekeying.add_argument("--full-every", type=int, default=DEFAULT_HISTORY.full_keyframe_every,
                          help="one keyframe in N holds the whole city and the alarm list")
