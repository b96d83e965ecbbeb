"""``python -m corridors`` runs the ``corridors`` command line."""

import sys

from corridors.routes.cli import main

sys.exit(main())
