#!/usr/bin/env python
"""Django's command-line utility for Klynge (the `klynge` command is the same thing)."""

import sys

from klynge.cli import main

if __name__ == "__main__":
    sys.exit(main())
