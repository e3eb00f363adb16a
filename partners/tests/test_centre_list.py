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
