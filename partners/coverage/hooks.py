"""What higher apps may contribute to the coverage pages (registered in their ``AppConfig.ready``)."""

from hubsite.core.hooks import Hook

report_figures = Hook(
    "partners.coverage.report_figures",
    """One provider: an object (the reports app registers its ``reports.coverage`` module) with
    ``last_twelve_months(day) -> (first, last)``, ``totals_by_prefecture(code, first, last) ->
    {prefecture code: total}``, ``totals_by_year(code, first_year, last_year) -> [(year, total)]``
    and ``prefecture_panels(request, prefecture) -> [panel dict]``. Without one the pages show
    centres and organisations only.""",
)
