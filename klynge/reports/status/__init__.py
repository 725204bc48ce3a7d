"""The annual cluster status report and the final report of a grant period: one data object
(report.StatusReport) built from the selectors (builder), rendered by klynge.reports.render."""

from klynge.reports.status.builder import build_status_report
from klynge.reports.status.report import StatusReport

__all__ = ["StatusReport", "build_status_report"]
