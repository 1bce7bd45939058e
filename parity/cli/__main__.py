"""``python -m parity.cli``: the command line, as ``parity``."""

from parity.cli import main

raise SystemExit(main())
