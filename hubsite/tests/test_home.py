"""Every role's home page, with every app's panels, runs a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.choices import OrganisationStatus
from partners.models import Organisation, Prefecture, User

EMAILS = [
    "hub@example.org",
    "staff@example.org",
    "director@example.org",
    "partner@example.org",
    "viewer@example.org",
]


def _counts(client_for):
    counts = {}
    for email in EMAILS:
        client = client_for(User.objects.get(email=email))
        client.get(reverse("home"))  # warm caches: translations, the mutual-aid evaluation (see below)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        counts[email] = len(queries)
    return counts


def _grow(make_centre, make_user, n):
    prefecture = Prefecture.objects.get(code="450700")
    for i in range(n):
        org = Organisation.objects.create(
            name=f"新伙伴{i}",
            prefecture=prefecture,
            status=OrganisationStatus.ACTIVE,
            joined_on=datetime.date(2023, 1, 1),
        )
        for j in range(2):
            make_centre(org, f"新园{i}-{j}", datetime.date(2023, 3, 1))
        make_user(f"new{i}@example.org", "director", org)
        make_user(f"teacher{i}@example.org", "partner_staff", org)


def test_each_roles_home_page_has_a_fixed_query_count(demo, client_for, make_centre, make_user):
    before = _counts(client_for)
    _grow(make_centre, make_user, 15)
    after = _counts(client_for)
    assert before == after
    # Hub staff: the network-wide mutual-aid evaluation (7 more queries) is cached until its data changes.
    # Since the last count: returned months (1), the year's targets and their figures (2, partners),
    # the help hours between partners in the mutual-aid panels (1). Viewers: the network in figures
    # (key figures 2, reporting rate 1, coverage 2). Hub staff since: the reports box's counts (2) are
    # cached per data version, and who was at the monthly topic meetings is a subquery of the absent
    # check (1). Viewers since: the network box (5) is cached per data version as well.
    assert after == {
        "hub@example.org": 20,
        "staff@example.org": 20,
        # Partner people: the box of what is due adds the missing months and the invitations to answer (2).
        "director@example.org": 20,
        "partner@example.org": 20,
        "viewer@example.org": 3,
    }
