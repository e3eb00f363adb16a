"""The list pages cost the same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from training.choices import ApplicationStatus
from training.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(module, make_user, make_application, org_a, org_b):
    def make(size):
        for i in range(size):
            org = (org_a, org_b)[i % 2]
            person = make_user(f"t{i}@example.org", "partner_staff", org, full_name=f"老师{i:02d}")
            application = make_application(module, person, status=ApplicationStatus.COMPLETED, score=70 + i)
            Certificate.objects.create(
                application=application, issued_on=timezone.localdate(), honour=i % 3 == 0
            )

    return make


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(("page", "persona"), [("application_list", "hub_staff"), ("talent_pool", "partner")])
def test_the_list_pages_run_a_fixed_number_of_queries(
    cohort, personas, client_for, django_assert_num_queries, page, persona, size
):
    cohort(size)
    client = client_for(personas[persona])
    # session + user + filter's module choices + count + page of rows
    with django_assert_num_queries(5):
        response = client.get(reverse(f"training:{page}"))
    assert len(response.context["table"].rows) == size
