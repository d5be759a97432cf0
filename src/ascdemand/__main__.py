"""Allow `python -m ascdemand`."""

from ascdemand.cli import main

raise SystemExit(main())
