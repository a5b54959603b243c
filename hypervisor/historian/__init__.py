"""The historian: every measurement, status change, alarm transition, operator action and rejected
message, kept in one SQLite file (WAL) and written in batches off the event loop.

``writer.Historian`` stores, ``reader.HistorianReader`` reads, ``timeline`` answers "what was the city
like at this instant", ``maintenance`` keeps the file within its retention and budget, ``admin`` is the
``hypervisor historian`` command. Nothing is imported here, so that a program may name the package
without loading SQLite and pandas."""
