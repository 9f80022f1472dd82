"""Saved-query alerts: rule files, ingest-time matching, alert history and delivery."""

from pantau.alerts.config import AlertSettings, alert_settings
from pantau.alerts.engine import AlertEngine, DeliveryReport, item_time, window_start
from pantau.alerts.matching import passes_filters, rule_hits, rule_where
from pantau.alerts.records import AlertLog
from pantau.alerts.rules import (
    CHANNELS,
    SEVERITIES,
    Rule,
    RuleError,
    Spike,
    load_rule_file,
    load_rules,
    parse_window,
    queries_path,
)

__all__ = [
    "CHANNELS",
    "SEVERITIES",
    "AlertEngine",
    "AlertLog",
    "AlertSettings",
    "DeliveryReport",
    "Rule",
    "RuleError",
    "Spike",
    "alert_settings",
    "item_time",
    "load_rule_file",
    "load_rules",
    "parse_window",
    "passes_filters",
    "queries_path",
    "rule_hits",
    "rule_where",
    "window_start",
]
