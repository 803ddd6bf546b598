"""The contractor card's safety-performance summary (issue 21 part 4), as HTML in the screen's language.

The last 90 days in plant time: rank among the contractors, permits worked and work-hours, violations and
points, stop-works, near misses (a dash while they are not recorded), certificate lapses, and the grade
rule's trend month by month; the full report is ``python main.py report contractors``.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from cockpit.contractor_performance import ContractorFigures, PerformanceReport


def performance_lines(report: PerformanceReport, row: ContractorFigures | None) -> list[str]:
    """The summary's lines (the tests read them; the card shows them as a list)."""
    if row is None:
        return [
            QCoreApplication.translate(
                "ContractorPerformance", "No figures for this contractor in the period."
            )
        ]
    near = (
        QCoreApplication.translate("ContractorPerformance", "not recorded yet")
        if row.near_misses is None
        else str(row.near_misses)
    )
    trend = " → ".join(f"{p.grade} ({p.on:%m-%d})" for p in row.trend)
    return [
        QCoreApplication.translate(
            "ContractorPerformance", "Rank %1 of %2 (best first: fewest violation points)"
        )
        .replace("%1", str(row.rank))
        .replace("%2", str(len(report.rows))),
        QCoreApplication.translate("ContractorPerformance", "Permits worked: %1 (%2 work-hours)")
        .replace("%1", str(row.permits_worked))
        .replace("%2", f"{row.work_hours:.1f}"),
        QCoreApplication.translate("ContractorPerformance", "Violations: %1 (%2 points)")
        .replace("%1", str(row.violations))
        .replace("%2", str(row.points)),
        QCoreApplication.translate("ContractorPerformance", "Stop-works in its work: %1").replace(
            "%1", str(row.stop_works)
        ),
        QCoreApplication.translate("ContractorPerformance", "Near misses: %1").replace("%1", near),
        QCoreApplication.translate("ContractorPerformance", "Certificate lapses: %1").replace(
            "%1", str(row.certificate_lapses)
        ),
        QCoreApplication.translate(
            "ContractorPerformance", "Grade by the rule at each month's end: %1"
        ).replace("%1", trend),
    ]


def performance_html(report: PerformanceReport, row: ContractorFigures | None) -> str:
    title = (
        QCoreApplication.translate("ContractorPerformance", "Safety performance, %1 – %2")
        .replace("%1", report.first_day.isoformat())
        .replace("%2", report.last_day.isoformat())
    )
    items = "".join(f"<li>{escape(line)}</li>" for line in performance_lines(report, row))
    return f"<h3>{escape(title)}</h3><ul>{items}</ul>"
