"""argparse ``type=`` validators: they turn a bad value into a one-line usage error."""

from __future__ import annotations

import argparse
import math

from factorycore.units import pue_error


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def positive_float(text: str) -> float:
    """A finite number > 0."""
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def non_negative_float(text: str) -> float:
    """A finite number >= 0."""
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def any_float(text: str) -> float:
    """Any finite number (growth may be negative)."""
    return _number(text)


def pue(text: str) -> float:
    """Power usage effectiveness: finite and at least 1."""
    value = _number(text)
    problem = pue_error(value)
    if problem:
        raise argparse.ArgumentTypeError(problem.replace(str(value), text, 1))
    return value


def unit_fraction(text: str) -> float:
    """A fraction in (0, 1]."""
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} must be in (0, 1]")
    return value


def closed_fraction(text: str) -> float:
    """A fraction in [0, 1]."""
    value = _number(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} must be in [0, 1]")
    return value


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def year(text: str) -> int:
    """A calendar year between 1990 and 2100."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    if not 1990 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"year {text} is outside 1990-2100")
    return value
