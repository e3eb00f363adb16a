import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from partners.choices import CentreStatus, OrganisationStatus
from partners.models import Organisation

URL = reverse("partners:organisation_list")


@pytest.fixture
def network(org_a, org_b, hub_org, centre_a, centre_b, make_centre, prefectures):
    # A second, planned site at org A: counted in all centres, not in operating ones.
    make_centre(org_a, "都安第二亲子园", None, status=CentreStatus.PLANNED)
    Organisation.objects.create(
        name="南宁意向机构", prefecture=prefectures["450100"], status=OrganisationStatus.PROSPECT
    )


def rows(response):
    return list(response.context["table"].page.object_list)


def test_it_lists_the_network_with_centre_counts_annotated(client_for, partner, network):
    response = client_for(partner).get(URL)
    assert response.status_code == 200
    by_name = {row.record.name: row.record for row in rows(response)}
    assert by_name["都安瑶山社会工作服务中心"].operating_centres == 1
    assert by_name["都安瑶山社会工作服务中心"].centres_total == 2
    assert "伙伴机构名录" in response.content.decode()


def test_it_hides_prospects_from_partners_but_shows_them_to_hub_staff(
    client_for, partner, hub_staff, network
):
    assert "南宁意向机构" not in client_for(partner).get(URL).content.decode()
    assert "南宁意向机构" in client_for(hub_staff).get(URL).content.decode()


def test_it_filters_by_prefecture(client_for, partner, network, prefectures):
    response = client_for(partner).get(URL, {"prefecture": prefectures["451200"].pk})
    assert [row.record.name for row in rows(response)] == ["都安瑶山社会工作服务中心"]


def test_it_filters_by_status_stage_and_hub_flag(client_for, hub_staff, network):
    client = client_for(hub_staff)
    prospects = rows(client.get(URL, {"status": "prospect"}))
    assert [row.record.name for row in prospects] == ["南宁意向机构"]
    sprouting = rows(client.get(URL, {"stage": "sprouting"}))
    assert [row.record.name for row in sprouting] == ["桂林现代促进会"]
    hub = rows(client.get(URL, {"is_hub": "true"}))
    assert [row.record.name for row in hub] == ["南宁市同心源社会工作服务中心"]


def test_it_searches_names_contacts_and_addresses(client_for, partner, network):
    client = client_for(partner)
    assert [r.record.name for r in rows(client.get(URL, {"q": "韦老师"}))] == ["都安瑶山社会工作服务中心"]
    assert [r.record.name for r in rows(client.get(URL, {"q": "桂林现代"}))] == ["桂林现代促进会"]


def test_an_unknown_prefecture_in_the_filter_shows_a_message_not_an_error(client_for, partner, network):
    response = client_for(partner).get(URL, {"prefecture": "999999"})
    assert response.status_code == 200
    assert rows(response) == []
    assert "选择一个有效的选项" in response.content.decode()


def test_it_sorts_by_operating_centres(client_for, partner, network):
    response = client_for(partner).get(URL, {"sort": "-operating_centres"})
    counts = [row.record.operating_centres for row in rows(response)]
    assert counts == sorted(counts, reverse=True)


def test_it_paginates_by_25(client_for, hub_staff, grow_network):
    grow_network(30)
    response = client_for(hub_staff).get(URL)
    assert len(rows(response)) == 25
    assert len(rows(client_for(hub_staff).get(URL, {"page": 2}))) == 6  # 30 partners and the hub


def test_it_exports_csv_with_formula_cells_neutralised(client_for, partner, org_a, network):
    org_a.contact_name = '=HYPERLINK("http://evil.example")'
    org_a.save()
    response = client_for(partner).get(URL, {"_export": "csv", "prefecture": org_a.prefecture_id})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][0] == "全称"
    assert table[1][0] == "都安瑶山社会工作服务中心"
    assert '\'=HYPERLINK("http://evil.example")' in table[1]


def test_it_exports_xlsx(client_for, partner, network):
    response = client_for(partner).get(URL, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "都安瑶山社会工作服务中心" in names
    assert "南宁意向机构" not in names


def test_it_escapes_script_in_names(client_for, hub_staff, org_a, network):
    org_a.name = "<script>alert(1)</script>"
    org_a.save()
    html = client_for(hub_staff).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("persona", ["hub_staff", "partner", "viewer"])
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(
    persona, request, client_for, grow_network, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    grow_network(3, "小")
    # session, user, prefecture choices, count, page rows
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
    grow_network(40, "大")
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


def test_the_directory_speaks_english_when_asked(client_for, partner, network):
    partner.language = "en"  # chosen with the menu's switch and saved on the account
    partner.save(update_fields=["language"])
    html = client_for(partner).get(URL).content.decode()
    assert "Partner directory" in html and "Operating centres" in html
