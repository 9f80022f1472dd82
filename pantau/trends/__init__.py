"""The emerging-narratives report: terms that rose, stories that spread, volume per topic."""

from pantau.trends.embedded import compute_trends
from pantau.trends.window import TrendsError, TrendWindow, resolve_window

__all__ = ["TrendWindow", "TrendsError", "compute_trends", "resolve_window"]
