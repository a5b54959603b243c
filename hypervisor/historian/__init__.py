"""The historian: every measurement, status change, alarm transition, operator action and rejected
message, kept in one SQLite file (WAL) and written in batches off the event loop."""

from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.rows import PAYLOAD_KEEP_BYTES
from hypervisor.historian.schema import SCHEMA_VERSION, SchemaTooNewError, applied_migrations
from hypervisor.historian.writer import Historian

__all__ = [
    "PAYLOAD_KEEP_BYTES",
    "SCHEMA_VERSION",
    "Historian",
    "HistorianReader",
    "SchemaTooNewError",
    "applied_migrations",
]
