"""The coverage pages read plainly: the map legend in whole numbers with their unit, a note where the
per-10,000 figure cannot be worked out, and an uncovered prefecture without twelve bars of 0."""

from django.urls import reverse
from django.utils import translation

from partners.coverage import data_changed
from partners.maps import PALETTE, legend, legend_for
from partners.models import Prefecture

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_a_count_legend_gives_the_whole_numbers_of_each_class():
    rows = legend(3, unit="个", whole=True)
    # A class that holds no whole number (0-0.6) is left out rather than shown as ">0-0.6".
    assert [label for _colour, label in rows] == ["0", "1 个", "2 个", "3 个"]
    assert [label for _colour, label in legend(10, unit="个", whole=True)] == [
        "0",
        "1-2 个",
        "3-4 个",
        "5-6 个",
        "7-8 个",
        "9-10 个",
    ]
    assert rows[1][0] == PALETTE[2]  # 1 of 3 is in the second colour class (bucket)
    assert legend(15032, unit="人次", whole=True)[1][1] == "1-3,006 人次"


def test_a_ratio_legend_gives_plain_bounds():
    assert [label for _colour, label in legend(1.5)] == [
        "0",
        "0-0.3",
        "0.3-0.6",
        "0.6-0.9",
        "0.9-1.2",
        "1.2-1.5",
    ]


def test_the_legend_names_the_metrics_unit_in_the_readers_language():
    with translation.override("zh-hans"):
        assert legend_for("centres", 2)[-1][1] == "2 个"
        assert legend_for("organisations", 2)[-1][1] == "2 家"
    with translation.override("en"):
        assert legend_for("child_visits", 2)[-1][1] == "2 visits"
    assert ">" not in "".join(label for _colour, label in legend_for("per_10k", 0.8))


def test_the_coverage_page_explains_a_missing_per_10k_figure(client_for, viewer, centre_a, prefectures):
    Prefecture.objects.filter(code="450400").update(children_under_3=None)
    Prefecture.objects.exclude(code="450400").update(children_under_3=50000)
    data_changed()
    page = client_for(viewer).get(reverse("coverage:index"), **ZH).content.decode()
    assert "该地市的 0-3 岁儿童人数尚未录入" in page
    assert ">0-" not in page  # the legend reads plainly

    Prefecture.objects.all().update(children_under_3=50000)
    data_changed()
    page = client_for(viewer).get(reverse("coverage:index"), **ZH).content.decode()
    assert 'id="per-10k-note"' not in page


def test_an_uncovered_prefecture_says_nobody_reported_instead_of_empty_bars(
    client_for, viewer, centre_a, prefectures
):
    page = client_for(viewer).get(reverse("coverage:prefecture", args=["450400"]), **ZH).content.decode()
    figures = page[page.index('id="prefecture-figures"') :]
    assert "近 12 个月本地市没有月报" in figures
    assert "<rect" not in figures.split("</div>", 1)[0]
