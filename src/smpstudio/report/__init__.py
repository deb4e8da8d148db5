"""The client report (an edge): one self-contained, printable report.html for a plan.

Entry points: :func:`render_report` (plan dict and PNG bytes to HTML bytes) and
:func:`write_report` (the same, written to a file).
"""

from smpstudio.report.page import SECTION_HEADINGS, render_report, write_report

__all__ = ["SECTION_HEADINGS", "render_report", "write_report"]
