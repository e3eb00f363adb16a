"""Who may do what in the Django admin (issue 11, item 1).

Every registered model's changelist, add page, change page of an existing object and delete
confirmation is requested as every persona: hub admins may open everything the model's admin offers,
hub staff exactly what ``hubsite.core.admin_permissions.HUB_STAFF_ADMIN`` lists (403 elsewhere), partner
people, viewers and visitors never get past the login. Escalation POSTs as hub staff change nothing,
while the same POST from a hub admin does, so the refusal is about the person and not the payload.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from hubsite.core.admin_permissions import HUB_STAFF_ADMIN, HUB_STAFF_APPS
from tests.matrix import ROLES

PAGES = ("changelist", "add", "change", "delete")
OUTSIDERS = {"anonymous", "director", "partner", "other", "viewer"}

# Pages a model's admin class switches off for everyone: histories and policy versions are written
# by the site, never typed in here.
CLOSED_FOR_EVERYONE = {
    ("mutualaid.eligibilitypolicy", "add"),
    ("mutualaid.eligibilitypolicy", "delete"),
    ("partners.organisationstatuschange", "add"),
    ("partners.centreassessment", "add"),
    # Expressions of interest come only from the public form, with the consent it records.
    ("partners.interest", "add"),
    # Files come and go on their owner's page, where its policy decides (hubsite/core/attachments).
    ("hubsite.attachment", "add"),
    ("hubsite.attachment", "delete"),
    # The group's work is made on the site, which tells the people concerned (mutualaid/admin.py).
    ("mutualaid.groupplan", "add"),
    ("mutualaid.stagegoal", "add"),
    ("mutualaid.coreteammember", "add"),
    ("mutualaid.grouptopic", "add"),
    ("mutualaid.topicvote", "add"),
    ("mutualaid.jointaction", "add"),
    ("mutualaid.jointpart", "add"),
}

# Independent of the allow-list: what hub staff must never open at all, whatever it says.
STAFF_NEVER_OPENS = {
    "auth.group",
    "account.emailaddress",
    "django_celery_beat.periodictask",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.solarschedule",
    "meetings.calendarfeedtoken",
}
# ...and what they may look at but never write: people, hub-admin-only rules, histories.
STAFF_ONLY_READS = {
    "partners.user",
    "reports.indicator",
    "mutualaid.eligibilitypolicy",
    "hubsite.notificationkindsetting",
    "partners.centreassessment",
    "partners.organisationstatuschange",
    "reports.monthlyreport",
}


def label_of(model) -> str:
    return model._meta.label_lower


def registered_models():
    return sorted(admin.site._registry, key=label_of)


def admin_url(model, page: str, obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if page in ("change", "delete") else [])


def expected_status(role: str, label: str, page: str) -> int:
    if role in OUTSIDERS:
        return 302
    if (label, page) in CLOSED_FOR_EVERYONE:
        return 403
    if role == "hub_admin":
        return 200
    actions = HUB_STAFF_ADMIN.get(label, ())
    if page in ("changelist", "change"):
        allowed = "view" in actions or "change" in actions
    else:
        allowed = page in actions
    return 200 if allowed else 403


@pytest.fixture
def one_of_each(personas, hub_org, org_a, org_b, centre_a, centre_b):
    """At least one object of every model the admin shows; the apps' access-matrix setups build most."""
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from hubsite.core.models import GroupRobot, NotificationKindSetting
    from meetings.models import Minutes, RotationSkip, SupervisionFrequency, TopicProposal
    from meetings.tests import access as meetings_access
    from mutualaid.tests import access as mutualaid_access
    from partners.models import County
    from partners.tests import access as partners_access
    from reports.defaults import load_default_indicators
    from reports.models import Indicator, MonthlyReport, ReportValue
    from reports.tests import access as reports_access
    from training.tests import access as training_access

    world = SimpleNamespace(
        personas=personas, hub_org=hub_org, org_a=org_a, org_b=org_b, centre_a=centre_a, centre_b=centre_b
    )
    for name, person in personas.items():
        setattr(world, name, person)
    # reports' setup makes the annual texts and stories.
    for module in (partners_access, meetings_access, mutualaid_access, training_access, reports_access):
        module.setup(world)

    hub_staff, director = personas["hub_staff"], personas["director"]
    org_a.change_status("paused", by=personas["hub_admin"], reason="暂停")
    centre_a.record_assessment(assessed_on=datetime.date(2024, 1, 1), rating="good", assessor="李督导")
    if not County.objects.exists():
        County.objects.create(name="都安瑶族自治县", code="451228", prefecture=org_a.prefecture)

    load_default_indicators(Indicator)
    report = MonthlyReport.objects.create(
        organisation=org_a, month=datetime.date(2024, 5, 1), created_by=personas["partner"]
    )
    ReportValue.objects.create(
        report=report,
        centre=centre_a,
        indicator=Indicator.objects.order_by("pk").first(),
        month=report.month,
        number=Decimal("3"),
    )

    Minutes.objects.create(meeting=world.supervision, text="纪要", recorded_by=hub_staff)
    TopicProposal.objects.create(
        meeting=world.monthly,
        title="家长志愿者",
        problem="排班难",
        why_it_matters="影响开园",
        deadline=datetime.date(2024, 6, 1),
        proposed_by=director,
    )
    SupervisionFrequency.objects.create(organisation=org_a, frequency="monthly")
    RotationSkip.objects.create(
        organisation=org_a, month=datetime.date(2024, 2, 1), reason="春节", created_by=hub_staff
    )

    from mutualaid.group_models import TopicVote

    # mutualaid's access setup makes the plan, its core team, a topic and a joint action; a vote too.
    TopicVote.objects.create(topic=world.topic, person=personas["other"], recommendation=4, difficulty=2)
    NotificationKindSetting.objects.create(kind="reports.due", required=True)
    GroupRobot.objects.create(
        name="枢纽工作群",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=walk",
        kinds=["reports.due"],
    )
    from hubsite.core.models import Attachment

    Attachment.objects.create(
        owner=report,
        organisation=org_a,
        kind="photo",
        original_name="活动照片.jpg",
        file="attachments/walk.jpg",
        mime_type="image/jpeg",
        size=1,
    )
    from partners.models import Interest

    Interest.objects.create(
        organisation=org_b, contact_name="黄女士", contact_phone="138 7771 2345", consented_at=timezone.now()
    )
    Group.objects.create(name="旧分组")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=director, email=director.email, verified=True, primary=True)
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="0", hour="8", timezone="Asia/Shanghai")
    IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=1))
    SolarSchedule.objects.create(event="sunrise", latitude=Decimal("22.8"), longitude=Decimal("108.3"))
    PeriodicTask.objects.get_or_create(
        name="admin-walk", defaults={"task": "reports.tasks.send_reminders", "crontab": crontab}
    )

    objects = {}
    for model in registered_models():
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"{label_of(model)}: give the walk an object of this model"
        objects[label_of(model)] = obj
    # Hub staff open someone else's person page, not their own (that is the escalation test's).
    objects["partners.user"] = personas["partner"]
    return objects


def test_the_staff_allow_list_names_real_models_and_django_actions():
    for label, actions in HUB_STAFF_ADMIN.items():
        apps.get_model(label)  # a typo would silently grant nothing
        assert set(actions) <= {"view", "add", "change", "delete"}, label


def test_the_staff_allow_list_never_reaches_people_rights_or_hub_admin_rules():
    assert not STAFF_NEVER_OPENS & set(HUB_STAFF_ADMIN)
    assert not {"auth", "account", "django_celery_beat", "admin", "contenttypes", "sessions"} & HUB_STAFF_APPS
    for label in STAFF_ONLY_READS:
        assert HUB_STAFF_ADMIN[label] == ("view",), label


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_the_allow_list_says(role, one_of_each, personas, client_for):
    client = client_for(personas[role])
    wrong = []
    for model in registered_models():
        label = label_of(model)
        for page in PAGES:
            url = admin_url(model, page, one_of_each[label])
            response = client.get(url)
            expected = expected_status(role, label, page)
            if response.status_code != expected:
                wrong.append(f"{page} {label} ({url}): {response.status_code} != {expected}")
            elif expected == 302 and not response["Location"].startswith(reverse("admin:login")):
                wrong.append(f"{page} {label}: redirected to {response['Location']}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    if role in OUTSIDERS - {"anonymous"}:
        # Where the redirect leads: the admin login refuses a logged-in person without hub rights.
        assert client.get(reverse("admin:login")).status_code == 403


def test_hub_staff_never_see_groups_beat_or_email_addresses_in_the_admin(one_of_each, hub_staff, client_for):
    client = client_for(hub_staff)
    for label in STAFF_NEVER_OPENS:
        model = apps.get_model(label)
        for page in PAGES:
            assert client.get(admin_url(model, page, one_of_each[label])).status_code == 403, (label, page)
    for app_label in ("auth", "django_celery_beat", "account"):
        assert client.get(reverse("admin:app_list", args=[app_label])).status_code == 404, app_label
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/partners/organisation/" in index
    assert "/admin/django_celery_beat/" not in index and "/admin/auth/group/" not in index


def test_hub_staff_read_a_person_without_any_field_to_edit(one_of_each, hub_staff, partner, client_for):
    response = client_for(hub_staff).get(admin_url(type(partner), "change", partner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "partner@example.org" in html
    for field in ("email", "role", "organisation", "is_active", "is_superuser"):
        assert f'name="{field}"' not in html, field


def _form_data(response) -> dict:
    """The admin form's current values as a browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def _user_row(user):
    user.refresh_from_db()
    return (
        user.role,
        user.is_superuser,
        user.email,
        user.organisation_id,
        user.is_active,
        sorted(user.groups.values_list("pk", flat=True)),
        sorted(user.user_permissions.values_list("pk", flat=True)),
    )


def test_hub_staff_cannot_make_themselves_hub_admin_or_superuser(
    hub_admin, hub_staff, client_for, django_user_model
):
    group = Group.objects.create(name="全部权限")
    group.permissions.set(Permission.objects.all())
    url = reverse("admin:partners_user_change", args=[hub_staff.pk])
    payload = _form_data(client_for(hub_admin).get(url))
    payload.update(
        role="hub_admin",
        is_superuser="on",
        is_staff="on",
        groups=[str(group.pk)],
        user_permissions=[str(pk) for pk in Permission.objects.values_list("pk", flat=True)],
    )
    before = _user_row(hub_staff)

    assert client_for(hub_staff).post(url, payload).status_code == 403
    assert (
        client_for(hub_staff)
        .post(
            reverse("admin:auth_user_password_change", args=[hub_staff.pk]),
            {
                "password1": "a-new-long-password-1",
                "password2": "a-new-long-password-1",
                "usable_password": "true",
            },
        )
        .status_code
        == 403
    )
    assert (
        _user_row(hub_staff)
        == before
        == ("hub_staff", False, "staff@example.org", hub_staff.organisation_id, True, [], [])
    )

    # Nor another person's login: a hub admin's e-mail address would hand over the account.
    admin_url_ = reverse("admin:partners_user_change", args=[hub_admin.pk])
    takeover = _form_data(client_for(hub_admin).get(admin_url_)) | {"email": "attacker@example.org"}
    assert client_for(hub_staff).post(admin_url_, takeover).status_code == 403
    hub_admin.refresh_from_db()
    assert hub_admin.email == "hub@example.org"

    # The same payload from a hub admin is accepted: the role changes (and the ignored fields do not).
    response = client_for(hub_admin).post(url, payload)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    role, is_superuser, *_, groups, permissions = _user_row(hub_staff)
    assert (role, is_superuser, groups, permissions) == ("hub_admin", False, [], [])


def test_hub_staff_cannot_add_a_group_or_an_email_address(hub_admin, hub_staff, director, client_for):
    from allauth.account.models import EmailAddress

    payload = {
        "name": "提权",
        "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)],
    }
    assert client_for(hub_staff).post(reverse("admin:auth_group_add"), payload).status_code == 403
    assert not Group.objects.exists()
    address = {"user": str(hub_admin.pk), "email": "attacker@example.org", "verified": "on", "primary": "on"}
    assert client_for(hub_staff).post(reverse("admin:account_emailaddress_add"), address).status_code == 403
    assert not EmailAddress.objects.filter(email="attacker@example.org").exists()

    assert client_for(hub_admin).post(reverse("admin:auth_group_add"), payload).status_code == 302
    assert Group.objects.get(name="提权").permissions.count() == Permission.objects.count()


def test_hub_staff_cannot_edit_a_periodic_task(hub_admin, hub_staff, client_for):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Asia/Shanghai")
    task = PeriodicTask.objects.create(
        name="测试提醒", task="hubsite.tasks.send_pending_notification_emails", crontab=crontab
    )
    url = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    payload = _form_data(client_for(hub_admin).get(url))
    payload.pop("enabled", None)
    payload["description"] = "被改了"
    before = PeriodicTask.objects.filter(pk=task.pk).values().get()

    assert client_for(hub_staff).post(url, payload).status_code == 403
    delete = reverse("admin:django_celery_beat_periodictask_delete", args=[task.pk])
    assert client_for(hub_staff).post(delete, {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=task.pk).values().get() == before

    response = client_for(hub_admin).post(url, payload)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    task.refresh_from_db()
    assert (task.enabled, task.description) == (False, "被改了")


def test_the_superuser_flag_groups_and_own_permissions_grant_nothing(hub_staff, partner, client_for):
    """Rows someone might have edited before the fix (or by hand) cannot lift a role's rights."""
    everything = Group.objects.create(name="全部")
    everything.permissions.set(Permission.objects.all())
    for person in (hub_staff, partner):
        person.is_superuser = True
        person.save()
        person.groups.add(everything)
        person.user_permissions.set(Permission.objects.all())
    hub_staff = type(hub_staff).objects.get(pk=hub_staff.pk)  # no cached permissions
    partner = type(partner).objects.get(pk=partner.pk)

    assert not hub_staff.has_perm("partners.change_user")
    assert not hub_staff.has_perm("django_celery_beat.change_periodictask")
    assert not hub_staff.has_module_perms("auth")
    assert hub_staff.get_all_permissions() == {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in HUB_STAFF_ADMIN.items()
        for action in actions
    }
    assert client_for(hub_staff).get(reverse("admin:auth_group_changelist")).status_code == 403
    assert not partner.has_perm("partners.view_organisation") and not partner.get_all_permissions()
    assert client_for(partner).get(reverse("admin:index")).status_code == 302


def test_hub_admins_have_every_permission_while_active(hub_admin):
    assert hub_admin.has_perm("django_celery_beat.change_periodictask")
    assert hub_admin.has_perm("auth.add_group") and hub_admin.has_module_perms("auth")
    assert "partners.change_user" in hub_admin.get_all_permissions()
    hub_admin.is_active = False
    assert not hub_admin.has_perm("partners.view_organisation")
    assert not hub_admin.has_module_perms("partners")


# Site views decide by role (``hubsite.core.permissions`` mixins), never by Django permissions: those are
# the admin's, and a permission granted for the admin must not open a hub-admin-only page of the site.
PERMISSION_CHECK = re.compile(r"\.has_perms?\(|permission_required|PermissionRequiredMixin|\bperms\.")
ALLOWED = {"partners/models.py", "hubsite/core/admin_permissions.py"}


def test_no_site_view_or_template_decides_by_django_permissions():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.suffix not in (".py", ".html") or not path.is_file():
            continue
        if relative.startswith((".venv/", "var/", "test-artifacts/")) or "/tests/" in f"/{relative}":
            continue
        if relative in ALLOWED:
            continue
        if PERMISSION_CHECK.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(relative)
    assert not offenders, f"decide by role (hubsite.core.permissions), not by has_perm: {offenders}"
