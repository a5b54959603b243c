"""The historian: every measurement, status change, alarm transition, operator action and rejected
message, kept in one SQLite file (WAL) and written in batches off the event loop."""

from hypervisor.historian.quarantine import QuarantineBudget
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.schema import SCHEMA_VERSION, SchemaTooNewError, applied_migrations
from hypervisor.historian.writer import Historian

__all__ = [
    "SCHEMA_VERSION",
    "Historian",
    "HistorianReader",
    "QuarantineBudget",
    "SchemaTooNewError",
    "applied_migrations",
]
