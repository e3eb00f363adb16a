"""Personas and shared fixtures for every app's tests (Healthchecks-style: one person per role).

Org A and org B are two active partners in different prefectures; `director` and `partner` work at
org A, `other` at org B. Tests about scoping use org A's objects and expect `other` to get 404.
"""

import datetime
import os

import pytest

from hubsite import services

PASSWORD = "demo-hub-2024"


def pytest_configure(config):
    # Plain `pytest` works on a fresh machine too: start the embedded services unless the
    # environment points elsewhere.
    for key, value in services.start().items():
        os.environ[key] = value
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def prefectures(db):
    from partners.models import Prefecture

    return {p.code: p for p in Prefecture.objects.all()}


@pytest.fixture
def hub_org(db, prefectures):
    from partners.choices import OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="南宁市同心源社会工作服务中心",
        short_name="同心源",
        prefecture=prefectures["450100"],
        is_hub=True,
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2018, 4, 1),
        project_started_on=datetime.date(2018, 4, 1),
    )


@pytest.fixture
def org_a(db, prefectures):
    from partners.choices import DevelopmentStage, OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="都安瑶山社会工作服务中心",
        short_name="都安瑶山",
        prefecture=prefectures["451200"],
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2022, 3, 1),
        project_started_on=datetime.date(2022, 3, 1),
        stage=DevelopmentStage.STARTUP,
        contact_name="韦老师",
        contact_phone="0778-0000000",
    )


@pytest.fixture
def org_b(db, prefectures):
    from partners.choices import DevelopmentStage, OrganisationStatus
    from partners.models import Organisation

    return Organisation.objects.create(
        name="桂林现代促进会",
        short_name="桂林现代",
        prefecture=prefectures["450300"],
        status=OrganisationStatus.ACTIVE,
        joined_on=datetime.date(2022, 6, 1),
        project_started_on=datetime.date(2022, 6, 1),
        stage=DevelopmentStage.SPROUTING,
    )


def _centre(org, name, opened, **extra):
    from partners.choices import CentreStatus, SiteType
    from partners.models import Centre

    defaults = {
        "prefecture": org.prefecture,
        "site_type": SiteType.COMMUNITY,
        "opened_on": opened,
        "status": CentreStatus.OPERATING,
    }
    defaults.update(extra)
    return Centre.objects.create(organisation=org, name=name, **defaults)


@pytest.fixture
def centre_a(org_a):
    return _centre(org_a, "都安县城亲子园", datetime.date(2022, 5, 1))


@pytest.fixture
def centre_b(org_b):
    return _centre(org_b, "桂林七星亲子园", datetime.date(2022, 9, 1))


@pytest.fixture
def make_centre():
    return _centre


def _user(email, role, organisation=None, **extra):
    from partners.models import User

    return User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=extra.pop("full_name", email.split("@")[0]),
        role=role,
        organisation=organisation,
        **extra,
    )


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def hub_admin(hub_org):
    return _user("hub@example.org", "hub_admin", hub_org, full_name="枢纽管理员")


@pytest.fixture
def hub_staff(hub_org):
    return _user("staff@example.org", "hub_staff", hub_org, full_name="枢纽同工")


@pytest.fixture
def director(org_a):
    return _user("director@example.org", "director", org_a, full_name="韦主任")


@pytest.fixture
def partner(org_a):
    return _user("partner@example.org", "partner_staff", org_a, full_name="蓝老师", position="teacher")


@pytest.fixture
def other(org_b):
    return _user("other@example.org", "partner_staff", org_b, full_name="李老师", position="teacher")


@pytest.fixture
def viewer(db):
    return _user("viewer@example.org", "viewer", None, full_name="观察员")


ROLES = ["anonymous", "hub_admin", "hub_staff", "director", "partner", "other", "viewer"]


@pytest.fixture
def personas(hub_admin, hub_staff, director, partner, other, viewer):
    return {
        "anonymous": None,
        "hub_admin": hub_admin,
        "hub_staff": hub_staff,
        "director": director,
        "partner": partner,
        "other": other,
        "viewer": viewer,
    }


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
