import sys

from supervision.cli import main

sys.exit(main())
