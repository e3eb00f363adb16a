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


def test_a_text_prints_its_dash_lines_as_a_list_and_its_blocks_as_paragraphs():
    from reports.templatetags.regional import paragraphs

    text = "今年我们：\r\n- 新开 2 个亲子园\r\n- 服务 <1,200> 人次\n\n感谢各位。\n下一年再见。"
    assert paragraphs(text) == (
        "<p>今年我们：</p><ul><li>新开 2 个亲子园</li><li>服务 &lt;1,200&gt; 人次</li></ul>"
        "<p>感谢各位。<br>下一年再见。</p>"
    )
    assert paragraphs("-5 度的早晨") == "<p>-5 度的早晨</p>"  # a minus sign is not a list
    assert paragraphs("") == ""
