"""The words a Chinese hub reads on day one (issue #14): filters say what they filter, errors read as
natural Chinese, and the regional XLSX's headers are translated whole."""

from __future__ import annotations

import importlib
import inspect
from html.parser import HTMLParser

import django_filters
import pytest
from django.urls import reverse
from django.utils import translation

FILTERSET_MODULES = [
    "partners.filtersets",
    "reports.filtersets",
    "meetings.filtersets",
    "mutualaid.filtersets",
    "training.filtersets",
    "imports.filtersets",
    "hubsite.core.notifications.filtersets",
]
BLANK_CHOICE = "---------"


class FilterForms(HTMLParser):
    """The controls of every `form.filter-form` (or role=search) and the labels pointing at them."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and ("filter-form" in (attrs.get("class") or "") or attrs.get("role") == "search"):
            self.depth += 1
        if not self.depth:
            return
        if tag == "select" or (tag == "input" and attrs.get("type") not in ("hidden", "submit")):
            self.controls.append(attrs)
        if tag == "label":
            self._label_for = attrs.get("for", "")
            self.labels.setdefault(self._label_for, "")

    def handle_data(self, data):
        if self.depth and self._label_for is not None:
            self.labels[self._label_for] += data.strip()

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        if tag == "form" and self.depth:
            self.depth -= 1


def unlabelled_filters(html: str) -> tuple[int, list[str]]:
    parser = FilterForms()
    parser.feed(html)
    missing = [
        f"{attrs.get('name')!r} (id {attrs.get('id')!r})"
        for attrs in parser.controls
        if not attrs.get("id") or not parser.labels.get(attrs["id"])
    ]
    return len(parser.controls), missing


def project_filtersets():
    for module_name in FILTERSET_MODULES:
        module = importlib.import_module(module_name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, django_filters.FilterSet)
                and cls.__module__ == module_name
                and cls._meta.model is not None
            ):
                yield cls


def test_every_filter_of_every_list_has_a_label_and_an_empty_choice_that_says_what_it_means():
    problems, checked = [], 0
    with translation.override("zh-hans"):
        for cls in project_filtersets():
            extra = {"user": None} if "user" in inspect.signature(cls.__init__).parameters else {}
            form = cls(data={}, queryset=cls._meta.model._default_manager.none(), **extra).form
            for name, field in form.fields.items():
                checked += 1
                where = f"{cls.__module__}.{cls.__name__}.{name}"
                if not str(field.label or "").strip():
                    problems.append(f"{where}: no label")
                empty = getattr(field, "empty_label", None)
                if empty is not None and (
                    str(empty) in (BLANK_CHOICE, "", "全部") or not str(empty).startswith("全部")
                ):
                    problems.append(f"{where}: empty choice {str(empty)!r}")
    assert checked > 40
    assert not problems, "\n".join(problems)


def test_a_filter_without_its_empty_label_is_caught():
    class Bare(django_filters.FilterSet):
        status = django_filters.ChoiceFilter(choices=[("a", "A")], label="Status")

        class Meta:
            from reports.models import MonthlyReport

            model = MonthlyReport
            fields = ["status"]

    field = Bare(data={}, queryset=Bare._meta.model.objects.none()).form.fields["status"]
    assert field.empty_label == BLANK_CHOICE  # what the test above refuses


@pytest.mark.parametrize(
    "name", ["reports:review_queue", "reports:grid", "reports:figures", "reports:targets"]
)
def test_the_reports_filters_have_visible_labels_and_no_dashes(name, client_for, hub_staff, org_a, centre_a):
    from reports.defaults import load_default_indicators
    from reports.models import Indicator

    load_default_indicators(Indicator)  # the figures page offers them in its filter
    response = client_for(hub_staff).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    controls, missing = unlabelled_filters(html)
    assert controls >= 1 and not missing, missing
    assert BLANK_CHOICE not in html


def test_the_review_queue_filter_reads_search_and_all_prefectures(client_for, hub_staff, org_a):
    html = client_for(hub_staff).get(reverse("reports:review_queue")).content.decode()
    assert '<label class="form-label small mb-0" for="id_q">搜索</label>' in html
    assert '<label class="form-label small mb-0" for="id_prefecture">地市</label>' in html
    assert '<option value="" selected>全部地市</option>' in html


def test_the_unlabelled_check_finds_a_bare_select():
    html = (
        '<form class="filter-form"><label for="a">年份</label><select id="a" name="year"></select>'
        '<select name="prefecture" aria-label="地市"></select><input type="hidden" name="x"></form>'
    )
    assert unlabelled_filters(html) == (2, ["'prefecture' (id None)"])


def test_the_regional_xlsx_headers_are_translated_whole(org_a, centre_a, tmp_path):
    """Funders get this file: no "开放天数（天） previous period", and counts say they are counts."""
    import datetime

    import openpyxl

    from reports.choices import ReportStatus
    from reports.defaults import load_default_indicators
    from reports.models import Indicator
    from reports.regional import content
    from reports.regional.choices import PeriodKind
    from reports.regional.xlsx import write_xlsx
    from reports.tests.factories import make_report

    load_default_indicators(Indicator)  # a transactional test before this one may have flushed them
    make_report(org_a, datetime.date(2024, 3, 1), status=ReportStatus.APPROVED, values={"child_visits": 40})
    path = tmp_path / "regional.xlsx"
    with translation.override("zh-hans"):
        gathered = content.gather(
            PeriodKind.YEAR,
            datetime.date(2024, 1, 1),
            title="广西 2024 年度",
            today=datetime.date(2025, 2, 20),
        )
        write_xlsx(gathered, path)
    book = openpyxl.load_workbook(path)
    by_prefecture = [cell.value for cell in book["按地市"][1]]
    assert by_prefecture[:3] == ["地市", "开放天数（天）", "开放天数（天）（上期）"]
    assert not [h for h in by_prefecture if h and any("a" <= ch.lower() <= "z" for ch in h)], by_prefecture
    assert [cell.value for cell in book["按机构"][1]][-1].endswith("（上期）")
    coverage = [cell.value for cell in book["覆盖情况"][1]]
    assert coverage[:4] == ["地市", "代码", "亲子园数", "伙伴机构数"]


def test_errors_on_a_bound_form_read_as_natural_chinese_with_full_width_punctuation():
    from django import forms

    class Figures(forms.Form):
        days = forms.IntegerField(min_value=0, max_value=31)
        visits = forms.IntegerField()
        hours = forms.DecimalField(max_digits=6, decimal_places=2)
        email = forms.EmailField()
        kind = forms.ChoiceField(choices=[("a", "A")])
        note = forms.CharField(max_length=3)

    with translation.override("zh-hans"):
        first = Figures(
            {"days": "-3", "visits": "很多", "hours": "1.234", "email": "x", "kind": "b", "note": "abcd"}
        )
        second = Figures({"days": "40", "hours": "abc"})
        assert first.errors == {
            "days": ["请输入不小于 0 的数值。"],
            "visits": ["请输入整数：只能填数字，不能有文字、空格或小数点。"],
            "hours": ["最多保留 2 位小数。"],
            "email": ["请输入有效的电子邮箱，例如 name@example.org。"],
            "kind": ["请选择一个有效的选项：b 不在可选项中。"],
            "note": ["最多 3 个字（现有 4 个）。"],
        }
        assert second.errors["days"] == ["请输入不大于 31 的数值。"]
        assert second.errors["hours"] == ["请输入数字：只能填数字和小数点，不能有文字或空格。"]
        assert second.errors["email"] == ["此项为必填项。"]
    for messages in [*first.errors.values(), *second.errors.values()]:
        assert all(m.endswith("。") and "确保" not in m and "Email" not in m for m in messages), messages


def test_the_report_history_says_submitted_once_and_a_status_only_when_it_adds_something(
    client_for, org_a, centre_a, partner, hub_staff, hub_admin
):
    import datetime
    import re

    from reports.defaults import load_default_indicators
    from reports.models import Indicator
    from reports.tests.factories import make_report

    load_default_indicators(Indicator)
    report = make_report(org_a, datetime.date(2024, 3, 1))
    report.submit(by=partner)
    report.return_for_revision(by=hub_staff, comment="请补充家访次数")
    report.submit(by=partner)
    report.approve(by=hub_staff)
    report.reopen(by=hub_admin, reason="金额填错")
    html = client_for(hub_staff).get(reverse("reports:detail", args=[report.pk])).content.decode()
    history = html[html.index('id="history"') :]
    lines = re.findall(r"<strong>(.*?)</strong>", history[: history.index("</ul>\n")])
    expected = ["已提交", "退回修改", "已提交，状态变为已重新提交", "已通过", "重新打开，状态变为退回修改"]
    assert sorted(lines) == sorted(expected), lines  # newest first or oldest first: each line once
    assert "已提交: 已提交" not in html and "已提交：已提交" not in html


def test_a_select_in_our_forms_says_choose_or_none_instead_of_dashes(org_a):
    from django import forms

    from hubsite.core.forms import StyledForm, StyledModelForm
    from partners.models import Centre

    class CentreForm(StyledModelForm):
        class Meta:
            model = Centre
            fields = ["organisation", "site_type"]

    class Pick(StyledForm):
        required = forms.ModelChoiceField(queryset=Centre.objects.none())
        optional = forms.ChoiceField(choices=[("", BLANK_CHOICE), ("a", "A")], required=False)

    with translation.override("zh-hans"):
        centre_form, pick = CentreForm(), Pick()
        html = str(centre_form["organisation"]) + str(pick["required"]) + str(pick["optional"])
    assert BLANK_CHOICE not in html
    assert html.count(">请选择</option>") == 2  # the required organisation and the required pick
    assert html.count(">（无）</option>") == 1  # the optional choice
