"""Export commands: chart and report (see design.md's contract)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the export commands to the parser."""
