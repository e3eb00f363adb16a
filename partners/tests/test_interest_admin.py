"""Expressions of interest in the Django admin: hub admins list, filter and search them, read one as
sent (nothing to add or edit: the consent must stay as given) and delete one when its person asks,
which forgets the details the form also put on the prospect (a reviewer's finding on the demo)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.choices import OrganisationStatus
from partners.models import Interest, Organisation, Prefecture

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:partners_interest_changelist"


def make_interest(name, *, prefecture, person, phone, days_ago=1, status=OrganisationStatus.PROSPECT):
    received = timezone.now() - datetime.timedelta(days=days_ago)
    organisation = Organisation.objects.create(
        name=name,
        prefecture=Prefecture.objects.get(code=prefecture),
        contact_name=person,
        contact_phone=phone,
        status=status,
        status_changed_on=received.date(),
    )
    return Interest.objects.create(
        organisation=organisation,
        contact_name=person,
        contact_phone=phone,
        consented_at=received,
        received_at=received,
    )


@pytest.fixture
def interests(prefectures):
    return {
        "qinzhou": make_interest("钦州童心社工", prefecture="450700", person="黄女士", phone="138 7771 2345"),
        "hezhou": make_interest(
            "贺州阳光社工", prefecture="451100", person="陆先生", phone="139 7840 0001", days_ago=40
        ),
    }


def changelist(client, **query):
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    return response.content.decode()


def test_hub_admins_list_interests_with_their_prefecture_and_find_them(interests, client_for, hub_admin):
    client = client_for(hub_admin)
    page = changelist(client)
    assert "黄女士" in page and "陆先生" in page and "钦州市" in page and "138 7771 2345" in page
    qinzhou = interests["qinzhou"].organisation.prefecture_id
    only_qinzhou = changelist(client, organisation__prefecture__id__exact=qinzhou)
    assert "黄女士" in only_qinzhou and "陆先生" not in only_qinzhou
    # The date filter's "past 7 days" link, as the admin builds it.
    recent = changelist(client, received_at__gte=(timezone.now() - datetime.timedelta(days=7)).isoformat())
    assert "黄女士" in recent and "陆先生" not in recent
    found = changelist(client, q="7840")
    assert "陆先生" in found and "黄女士" not in found


def test_the_list_runs_the_same_queries_for_two_interests_or_twelve(interests, client_for, hub_admin):
    client = client_for(hub_admin)
    with CaptureQueriesContext(connection) as few:
        changelist(client)
    for n in range(10):
        make_interest(f"机构{n}", prefecture="450100", person=f"联系人{n}", phone=f"138 0000 {n:04d}")
    with CaptureQueriesContext(connection) as many:
        changelist(client)
    assert len(many) == len(few)


def test_an_interest_is_read_as_sent_and_never_added_or_edited_here(interests, client_for, hub_admin):
    client = client_for(hub_admin)
    interest = interests["qinzhou"]
    assert client.get(reverse("admin:partners_interest_add")).status_code == 403
    page = client.get(reverse("admin:partners_interest_change", args=[interest.pk])).content.decode()
    assert "黄女士" in page and "138 7771 2345" in page
    assert 'name="contact_phone"' not in page and 'name="_save"' not in page
    client.post(
        reverse("admin:partners_interest_change", args=[interest.pk]),
        {"contact_name": "改过", "contact_phone": "", "consented_at": "2020-01-01 00:00:00"},
    )
    interest.refresh_from_db()
    assert interest.contact_name == "黄女士" and interest.contact_phone == "138 7771 2345"


def test_a_hub_admin_deleting_an_interest_forgets_the_person_on_the_prospect_too(
    interests, client_for, hub_admin
):
    interest = interests["qinzhou"]
    organisation = interest.organisation
    version = organisation.version
    response = client_for(hub_admin).post(
        reverse("admin:partners_interest_delete", args=[interest.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Interest.objects.filter(pk=interest.pk).exists()
    organisation.refresh_from_db()
    assert (organisation.contact_name, organisation.contact_phone, organisation.contact_email) == ("", "", "")
    assert organisation.version == version + 1  # an edit form open on it sees the change
    assert organisation.name == "钦州童心社工"  # the prospect stays, the hub's working record
    # The other person is untouched.
    assert Interest.objects.filter(pk=interests["hezhou"].pk).exists()


def test_deleting_from_the_list_keeps_what_is_the_hubs_own_record(prefectures, client_for, hub_admin):
    joined = make_interest(
        "已加入机构",
        prefecture="450700",
        person="韦女士",
        phone="138 1111 2222",
        status=OrganisationStatus.ACTIVE,
    )
    retyped = make_interest("员工改过", prefecture="450700", person="黄先生", phone="138 3333 4444")
    Organisation.objects.filter(pk=retyped.organisation_id).update(contact_phone="0771-1234567")
    response = client_for(hub_admin).post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [joined.pk, retyped.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Interest.objects.exists()
    joined.organisation.refresh_from_db()
    retyped.organisation.refresh_from_db()
    assert joined.organisation.contact_phone == "138 1111 2222"  # a partner's details are the hub's
    assert (retyped.organisation.contact_name, retyped.organisation.contact_phone) == (
        "黄先生",
        "0771-1234567",
    )


def test_hub_staff_never_delete_an_interest(interests, client_for, hub_staff):
    interest = interests["qinzhou"]
    client = client_for(hub_staff)
    assert client.get(reverse("admin:partners_interest_delete", args=[interest.pk])).status_code == 403
    client.post(reverse("admin:partners_interest_delete", args=[interest.pk]), {"post": "yes"})
    assert Interest.objects.filter(pk=interest.pk).exists()
