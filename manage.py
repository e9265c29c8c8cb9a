#!/usr/bin/env python
"""Django's manage.py, for those who expect it; `familybridge` is the same command."""

from familybridge.cli import main

if __name__ == "__main__":
    main()
