"""The directory lists partners by prefecture (the province's order), then by name, unless the reader
sorts by a column."""

from django.urls import reverse

from partners.choices import OrganisationStatus
from partners.models import Organisation

URL = reverse("partners:organisation_list")


def _org(name, prefecture):
    return Organisation.objects.create(name=name, prefecture=prefecture, status=OrganisationStatus.ACTIVE)


def _names(response):
    return [row.record.name for row in response.context["table"].page.object_list]


def test_the_directory_lists_by_prefecture_then_name(client_for, partner, prefectures):
    # Created in an order that is neither by prefecture nor by name.
    _org("B Liuzhou centre", prefectures["450200"])
    _org("B Nanning centre", prefectures["450100"])
    _org("A Liuzhou centre", prefectures["450200"])
    _org("A Nanning centre", prefectures["450100"])
    _org("A Guilin centre", prefectures["450300"])
    names = [n for n in _names(client_for(partner).get(URL)) if "centre" in n]
    assert names == [
        "A Nanning centre",  # 南宁 450100
        "B Nanning centre",
        "A Liuzhou centre",  # 柳州 450200
        "B Liuzhou centre",
        "A Guilin centre",  # 桂林 450300
    ]


def test_a_column_the_reader_sorts_by_wins(client_for, partner, prefectures):
    _org("B Nanning centre", prefectures["450100"])
    _org("A Guilin centre", prefectures["450300"])
    names = [n for n in _names(client_for(partner).get(URL, {"sort": "-name"})) if "centre" in n]
    assert names == ["B Nanning centre", "A Guilin centre"]
