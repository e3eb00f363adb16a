"""The hub sets up a programme and its modules on the site; a module edit over someone else's is
refused with the one stale message."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.forms import STALE_MESSAGE
from training.models import Module, Programme

pytestmark = pytest.mark.django_db


def module_data(**extra):
    data = {
        "name": "儿童保护个案服务者",
        "places": "30",
        "opens_at": "2026-03-01T09:00",
        "closes_at": "2026-04-06T18:00",
        "min_years": "1",
        "min_education": "3",
        "min_attendance_percent": "80",
        "min_practice_records": "3",
        "min_rating": "3.5",
    }
    data.update(extra)
    return data


def test_the_hub_creates_a_programme_and_a_module_closing_at_a_minute(client_for, hub_staff):
    client = client_for(hub_staff)
    response = client.post(
        reverse("training:programme_create"),
        {"year": "2026", "name": "2026 亲子园指导师培养计划", "incentive_cap": "4100"},
    )
    programme = Programme.objects.get()
    assert response["Location"] == programme.get_absolute_url()
    client.post(reverse("training:module_create", args=[programme.pk]), module_data())
    module = Module.objects.get()
    assert (module.programme, module.places) == (programme, 30)
    assert timezone.localtime(module.closes_at).strftime("%H:%M") == "18:00"


def test_a_window_that_closes_before_it_opens_is_refused(client_for, hub_staff, programme):
    response = client_for(hub_staff).post(
        reverse("training:module_create", args=[programme.pk]), module_data(closes_at="2026-02-01T18:00")
    )
    assert "closes_at" in response.context["form"].errors
    assert not Module.objects.exists()


def test_a_stale_module_edit_answers_409_and_saves_nothing(client_for, hub_staff, module):
    url = reverse("training:module_edit", args=[module.pk])
    client = client_for(hub_staff)
    loaded = module.version
    client.post(url, module_data(name="先到的修改", version=loaded))
    response = client.post(url, module_data(name="后到的修改", version=loaded))
    assert response.status_code == 409
    assert str(STALE_MESSAGE) in response.content.decode()
    module.refresh_from_db()
    assert module.name == "先到的修改"
