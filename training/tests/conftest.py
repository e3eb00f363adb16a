import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded evidence goes to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def programme(db):
    from training.models import Programme

    return Programme.objects.create(year=2025, name="2025-26 亲子园指导师培养计划")


@pytest.fixture
def make_module(programme):
    """`make_module(name, places=30, **rules)`: a module whose application window is open now."""
    from training.models import Module

    def make(name="正向教养家长引导师", **fields):
        now = timezone.now()
        fields.setdefault("opens_at", now - datetime.timedelta(days=1))
        fields.setdefault("closes_at", now + datetime.timedelta(days=10))
        return Module.objects.create(programme=programme, name=name, **fields)

    return make


@pytest.fixture
def module(make_module):
    return make_module(min_practice_records=1)


@pytest.fixture
def make_application():
    """`make_application(module, person, **fields)`: an application as the person's organisation."""
    from training.choices import Education
    from training.models import Application

    def make(module, person, **fields):
        fields.setdefault("years_in_child_services", 3)
        fields.setdefault("education", Education.BACHELOR)
        return Application.objects.create(
            module=module, applicant=person, organisation=person.organisation, **fields
        )

    return make
