"""A figure reads the same in the generated reports as on the pages (a reviewer found 服务家庭数 as 12
in the annual report and 12.5 on the page)."""

from decimal import Decimal

from reports.templatetags.figures import thousands
from reports.templatetags.regional import num


def test_an_average_month_keeps_its_decimals_in_the_reports_as_on_the_pages():
    for value, shown in (
        (Decimal("12.5"), "12.5"),
        (Decimal("12.333333"), "12.33"),
        (12.5, "12.5"),
        (Decimal("15032"), "15,032"),
        (15032.0, "15,032"),
        (Decimal("1234.999"), "1,235"),
        (None, "—"),
    ):
        assert num(value) == thousands(value) == shown
