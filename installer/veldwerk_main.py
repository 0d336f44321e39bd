"""The bundle's entry point: the same `veldwerk` command line as the installed package."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
