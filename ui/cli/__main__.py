"""``python -m ui.cli``: the ``supportbot`` command without the console script."""

import sys

from ui.cli import main

sys.exit(main())
