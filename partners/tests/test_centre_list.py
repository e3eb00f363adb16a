import csv
import datetime
import io

import pytest
from django.urls import reverse

from partners.choices import CentreStatus, Rating, SiteType

URL = reverse("partners:centre_list")


@pytest.fixture
def centres(centre_a, centre_b, make_centre, org_a):
    second = make_centre(
        org_a,
        "都安示范亲子园",
        datetime.date(2023, 3, 1),
        site_type=SiteType.KINDERGARTEN,
        is_demonstration=True,
        address="=cmd|' /C calc'!A0",
    )
    second.record_assessment(assessed_on=datetime.date(2024, 1, 10), rating=Rating.EXCELLENT)
    make_centre(org_a, "都安筹备亲子园", None, status=CentreStatus.PLANNED)
    return second


def names(response):
    return sorted(row.record.name for row in response.context["table"].page.object_list)


def test_it_lists_every_centre_of_the_network(client_for, other, centres):
    response = client_for(other).get(URL)
    assert names(response) == ["桂林七星亲子园", "都安县城亲子园", "都安示范亲子园", "都安筹备亲子园"]
    assert "亲子园" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "planned"}, ["都安筹备亲子园"]),
        ({"site_type": "kindergarten"}, ["都安示范亲子园"]),
        ({"is_demonstration": "true"}, ["都安示范亲子园"]),
        ({"rating": "excellent"}, ["都安示范亲子园"]),
        ({"q": "七星"}, ["桂林七星亲子园"]),
        ({"q": "都安瑶山", "status": "operating"}, ["都安县城亲子园", "都安示范亲子园"]),
    ],
)
def test_it_filters(client_for, partner, centres, params, expected):
    assert names(client_for(partner).get(URL, params)) == expected


def test_it_filters_by_prefecture_and_organisation(client_for, partner, centres, org_b, prefectures):
    client = client_for(partner)
    assert names(client.get(URL, {"prefecture": prefectures["450300"].pk})) == ["桂林七星亲子园"]
    assert names(client.get(URL, {"organisation": org_b.pk})) == ["桂林七星亲子园"]


def test_the_organisation_filter_offers_only_organisations_the_user_may_see(
    client_for, partner, hub_staff, centres, prefectures
):
    from partners.models import Organisation

    prospect = Organisation.objects.create(name="意向机构", prefecture=prefectures["450100"])
    partner_choices = client_for(partner).get(URL).context["filter"].form.fields["organisation"].queryset
    assert prospect not in partner_choices
    hub_choices = client_for(hub_staff).get(URL).context["filter"].form.fields["organisation"].queryset
    assert prospect in hub_choices


def test_it_exports_csv_with_formula_cells_neutralised(client_for, viewer, centres):
    response = client_for(viewer).get(URL, {"_export": "csv", "is_demonstration": "true"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["名称", "伙伴机构"]
    assert table[1][0] == "都安示范亲子园"
    assert "优秀" in table[1]


def test_it_escapes_script_in_names(client_for, partner, centre_a):
    centre_a.name = "<script>alert('centre')</script>"
    centre_a.save()
    html = client_for(partner).get(URL).content.decode()
    assert "<script>alert('centre')</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("persona", ["hub_admin", "director", "viewer"])
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(
    persona, request, client_for, grow_network, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    grow_network(2, "小")
    # session, user, prefecture choices, organisation choices, count, page rows
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
    grow_network(30, "大")
    with django_assert_num_queries(6):
        assert client.get(URL, {"sort": "organisation"}).status_code == 200


def _rows(html: str) -> list[str]:
    """The table body's rows, whitespace between tags left out."""
    import re

    body = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    return re.findall(r"<tr[^>]*>.*?</tr>", re.sub(r">\s+<", "><", body))


def test_the_rows_drawn_in_python_are_django_tables2s_own_cell_for_cell(
    rf, hub_staff, centres, make_centre, org_b
):
    from django_tables2 import RequestConfig

    from partners.models import Centre
    from partners.tables import CentreTable

    # Every kind of cell: a blank county, opening day, rating and capacity, a name to escape.
    make_centre(org_b, "<b>乙&园</b>", None, county=None, capacity=None)
    request = rf.get(URL, {"sort": "-opened_on"})
    request.user = hub_staff

    def rendered(template_name):
        table = CentreTable(
            Centre.objects.select_related("organisation", "prefecture", "county"), template_name=template_name
        )
        RequestConfig(request).configure(table)
        return table.as_html(request)

    ours, theirs = rendered(None), rendered("django_tables2/bootstrap5-responsive.html")
    assert "body_html" not in theirs and len(_rows(theirs)) == 5
    assert _rows(ours) == _rows(theirs)
    assert "&lt;b&gt;乙&amp;园&lt;/b&gt;" in ours
    assert ours.count('<span class="true">✔</span>') == 1


def test_an_empty_list_says_so_in_one_row_across_the_table(client_for, partner, centres):
    rows = _rows(client_for(partner).get(URL, {"q": "没有这个名字"}).content.decode())
    assert rows == ['<tr><td colspan="10">没有符合筛选条件的亲子园。</td></tr>']


def test_the_quick_select_offers_what_djangos_select_does(partner, centres, org_b):
    import re

    from django import forms

    from partners.filtersets import QuickSelect
    from partners.models import Organisation

    Organisation.objects.create(name="<i>甲&乙</i>", prefecture=org_b.prefecture)

    def options(widget_class, value):
        field = forms.ModelChoiceField(
            queryset=Organisation.objects.order_by("name"), empty_label="全部", widget=widget_class
        )
        field.widget.attrs["class"] = "form-select"
        html = field.widget.render("organisation", value, attrs={"id": "id_organisation"})
        return re.sub(r">\s+<", "><", html)

    assert options(QuickSelect, org_b.pk) == options(forms.Select, org_b.pk)
    assert f'<option value="{org_b.pk}" selected>' in options(QuickSelect, org_b.pk)
    assert options(QuickSelect, None) == options(forms.Select, None)
    assert "&lt;i&gt;甲&amp;乙&lt;/i&gt;" in options(QuickSelect, None)
