"""Service test fixtures: see tests/fixtures.py."""

from fixtures import *  # noqa: F403
