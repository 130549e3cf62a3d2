"""`python -m hyperalign` is the CLI."""

import sys

from hyperalign.cli import main

sys.exit(main())
