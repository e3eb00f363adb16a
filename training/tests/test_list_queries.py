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
def test_the_application_list_runs_a_fixed_number_of_queries(
    cohort, hub_staff, client_for, django_assert_num_queries, size
):
    cohort(size)
    client = client_for(hub_staff)
    # session + user + filter's module choices + count + page of rows
    with django_assert_num_queries(5):
        response = client.get(reverse("training:application_list"))
    assert len(response.context["table"].rows) == size


@pytest.mark.parametrize("size", [2, 12])
def test_the_talent_pool_runs_a_fixed_number_of_queries(
    cohort, partner, client_for, django_assert_num_queries, size
):
    cohort(size)
    client = client_for(partner)
    # session + user + filter's module choices + count + page of rows
    with django_assert_num_queries(5):
        response = client.get(reverse("training:talent_pool"))
    assert len(response.context["table"].rows) == size
