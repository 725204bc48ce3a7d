"""The cluster-excellence self-assessment for the European gold label: the assessment of a
year (assessment.py) and its rendering and evidence pack (pack.py)."""

from klynge.reports.excellence.assessment import (
    AreaReport,
    SelfAssessment,
    document_counts,
    documents_for,
    missing_lines,
    self_assessment,
)
from klynge.reports.excellence.pack import assessment_html, assessment_pdf, evidence_pack

__all__ = [
    "AreaReport", "SelfAssessment", "assessment_html", "assessment_pdf", "document_counts",
    "documents_for", "evidence_pack", "missing_lines", "self_assessment",
]
