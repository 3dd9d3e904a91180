"""HTML reports of saved runs and comparisons: one self-contained file with inline SVG figures.

>>> from crunchtime.report import render_report, write_report
>>> html = render_report(summary, tables, provenance)
>>> write_report(crunchtime.results.store.load_run(run_id), "report.html")
"""

from crunchtime.report.page import write_html
from crunchtime.report.render import render_report
from crunchtime.report.runs import write_report

__all__ = ["render_report", "write_html", "write_report"]
