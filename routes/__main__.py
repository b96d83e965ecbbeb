"""``python -m routes`` runs the ``corridors`` command line."""

import sys

from routes.cli import main

sys.exit(main())
