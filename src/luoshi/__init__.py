"""luoshi (落实): from a development plan to results that can be checked."""

__version__ = "0.1.0"
