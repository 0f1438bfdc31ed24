"""``python -m factorycore``: the command line (see factorycore.cli)."""

from factorycore.cli import main

raise SystemExit(main())
