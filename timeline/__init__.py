"""timeline: a diplomatic event timeline visualizer."""

__version__ = "0.1.0"
