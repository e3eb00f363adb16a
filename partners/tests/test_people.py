import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from partners.actions import do_invite_person
from partners.models import User

LIST = reverse("partners:person_list")
INVITE = reverse("partners:person_invite")
NEW_PASSWORD = "yaoshan-kids-2024!"


def names(response):
    return sorted(row.record.full_name for row in response.context["table"].page.object_list)


def test_hub_staff_list_and_filter_people(client_for, hub_staff, personas, org_a):
    client = client_for(hub_staff)
    assert len(names(client.get(LIST))) == 6
    assert names(client.get(LIST, {"role": "director"})) == ["韦主任"]
    assert names(client.get(LIST, {"organisation": org_a.pk})) == ["蓝老师", "韦主任"]
    assert names(client.get(LIST, {"q": "other@"})) == ["李老师"]


def test_the_people_list_runs_a_fixed_number_of_queries(
    client_for, hub_staff, grow_network, django_assert_num_queries
):
    client = client_for(hub_staff)
    grow_network(2, "小")
    # session, user, organisation choices, count, page rows
    with django_assert_num_queries(5):
        client.get(LIST)
    grow_network(30, "大")
    with django_assert_num_queries(5):
        client.get(LIST)


def test_the_people_list_exports_csv(client_for, hub_admin, personas):
    response = client_for(hub_admin).get(LIST, {"_export": "csv", "role": "viewer"})
    text = response.content.decode("utf-8-sig")
    assert "viewer@example.org" in text and "partner@example.org" not in text


def test_inviting_creates_the_person_and_mails_a_chinese_link_after_commit(
    client_for, hub_staff, org_a, django_capture_on_commit_callbacks, settings, outbox_eager
):
    settings.SITE_URL = "https://hub.example.org"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(hub_staff).post(
            INVITE,
            {
                "email": "New.Teacher@Example.org",
                "full_name": "覃老师",
                "role": "partner_staff",
                "position": "teacher",
                "organisation": org_a.pk,
            },
        )
    assert response.status_code == 302
    assert len(callbacks) == 1
    person = User.objects.get(email="new.teacher@example.org")
    assert not person.has_usable_password()
    assert (person.organisation, person.invited_by, person.role) == (org_a, hub_staff, "partner_staff")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@example.org"]
    assert "邀请您加入枢纽平台" in message.subject
    assert "覃老师，您好" in message.body and "都安瑶山社会工作服务中心" in message.body
    assert "https://hub.example.org/accounts/password/reset/key/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "设置密码" in html


def test_no_mail_leaves_when_the_invitation_is_rolled_back(
    hub_staff, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_invite_person(email="x@example.org", full_name="某人", role="viewer", invited_by=hub_staff)
    assert len(callbacks) == 1  # sent only if the transaction commits
    assert mail.outbox == []


def test_following_the_invitation_link_sets_a_password_and_logs_in(
    hub_staff, org_a, django_capture_on_commit_callbacks, settings, outbox_eager
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        do_invite_person(
            email="qin@example.org",
            full_name="覃老师",
            role="director",
            organisation=org_a,
            invited_by=hub_staff,
        )
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    browser = Client()
    # allauth moves the key into the session and redirects to a key-less URL.
    response = browser.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    form_page = browser.get(set_password_url)
    assert form_page.status_code == 200 and "password1" in form_page.content.decode()
    response = browser.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email="qin@example.org").check_password(NEW_PASSWORD)
    # The link is spent once the password is set.
    assert "password1" not in Client().get(link, follow=True).content.decode()
    # And the person logs in with the new password through the real login form.
    fresh = Client()
    response = fresh.post(reverse("account_login"), {"login": "qin@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert fresh.get(reverse("home")).context["user"].email == "qin@example.org"


def test_a_partner_role_requires_an_organisation(client_for, hub_staff):
    response = client_for(hub_staff).post(
        INVITE, {"email": "a@example.org", "full_name": "某人", "role": "director", "organisation": ""}
    )
    assert response.context["form"].errors["organisation"] == ["伙伴机构人员必须属于一个伙伴机构。"]
    assert not User.objects.filter(email="a@example.org").exists()
    assert mail.outbox == []


def test_a_duplicate_email_is_refused_whatever_its_case(client_for, hub_staff, partner, org_a):
    response = client_for(hub_staff).post(
        INVITE,
        {
            "email": "PARTNER@example.org",
            "full_name": "某人",
            "role": "partner_staff",
            "organisation": org_a.pk,
        },
    )
    assert response.context["form"].errors["email"] == ["该电子邮箱已被他人使用。"]


def test_hub_staff_cannot_make_hub_admins_but_hub_admins_can(client_for, hub_staff, hub_admin, hub_org):
    data = {
        "email": "boss@example.org",
        "full_name": "新管理员",
        "role": "hub_admin",
        "organisation": hub_org.pk,
    }
    refused = client_for(hub_staff).post(INVITE, data)
    assert "role" in refused.context["form"].errors
    assert client_for(hub_admin).post(INVITE, data).status_code == 302
    assert User.objects.get(email="boss@example.org").is_hub_admin


def test_hub_staff_edit_a_person(client_for, hub_staff, partner, org_b):
    response = client_for(hub_staff).post(
        reverse("partners:person_edit", args=[partner.pk]),
        {
            "email": partner.email,
            "full_name": "蓝老师",
            "phone": "138",
            "role": "partner_staff",
            "position": "manager",
            "organisation": org_b.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.position, partner.organisation, partner.phone) == ("manager", org_b, "138")


def test_hub_staff_cannot_edit_hub_admins(client_for, hub_staff, hub_admin):
    assert client_for(hub_staff).get(reverse("partners:person_edit", args=[hub_admin.pk])).status_code == 403


def test_deactivating_stops_the_login(client_for, hub_staff, partner):
    response = client_for(hub_staff).post(reverse("partners:person_deactivate", args=[partner.pk]))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    response = Client().post(reverse("account_login"), {"login": partner.email, "password": "demo-hub-2024"})
    assert "_auth_user_id" not in response.wsgi_request.session


def test_nobody_deactivates_themselves(client_for, hub_admin):
    client_for(hub_admin).post(reverse("partners:person_deactivate", args=[hub_admin.pk]))
    hub_admin.refresh_from_db()
    assert hub_admin.is_active


def test_the_invitation_can_be_sent_again(
    client_for, hub_staff, partner, django_capture_on_commit_callbacks, outbox_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(hub_staff).post(reverse("partners:person_resend_invitation", args=[partner.pk]))
    assert mail.outbox[0].to == [partner.email]


@pytest.mark.parametrize("persona", ["director", "partner", "other", "viewer"])
def test_only_hub_staff_manage_people(persona, request, client_for, partner):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert (
        client.post(INVITE, {"email": "x@example.org", "full_name": "x", "role": "viewer"}).status_code == 403
    )
    assert not User.objects.filter(email="x@example.org").exists()
