"""``python -m hypervisor``: the same as the ``hypervisor`` command."""

from hypervisor.cli import main

raise SystemExit(main())
