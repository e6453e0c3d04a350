import sys

from config.services.cli import main

sys.exit(main())
