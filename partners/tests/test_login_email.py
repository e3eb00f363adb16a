"""Login identity is the hub's: nobody adds or swaps their own login address (issue 11, item 7).

allauth logs people in by any of their EmailAddress rows, so the tests look at those rows and at
real logins through the login form, not only at ``User.email``.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from partners.actions import do_invite_person

PASSWORD = "demo-hub-2024"
EMAIL_PAGE = "/accounts/email/"


def _logs_in(email, password=PASSWORD) -> bool:
    response = Client().post(reverse("account_login"), {"login": email, "password": password})
    return "_auth_user_id" in response.wsgi_request.session


def test_the_account_email_name_is_the_read_only_page():
    assert reverse("account_email") == EMAIL_PAGE


@pytest.mark.parametrize("persona", ["partner", "viewer", "director", "hub_staff"])
@pytest.mark.parametrize(
    "action",
    [
        {"action_add": "", "email": "mine@example.net"},
        {"action_primary": "", "email": "mine@example.net"},
        {"action_remove": "", "email": "{own}"},
        {"action_send": "", "email": "{own}"},
    ],
    ids=["add", "primary", "remove", "send"],
)
def test_nobody_adds_swaps_or_removes_their_own_login_address(persona, action, personas, client_for):
    user = personas[persona]
    data = {key: value.format(own=user.email) for key, value in action.items()}
    response = client_for(user).post(EMAIL_PAGE, data)
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="mine@example.net").exists()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) in (
        [],
        [(user.email, True)],
    )
    assert not mail.outbox
    assert not _logs_in("mine@example.net")
    assert _logs_in(user.email)


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.post(EMAIL_PAGE, {"action_add": "", "email": "mine@example.net"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not EmailAddress.objects.exists()


def test_the_page_shows_the_login_address_and_who_changes_it(client_for, partner, django_assert_num_queries):
    client = client_for(partner)
    with django_assert_num_queries(2):  # session, user
        response = client.get(EMAIL_PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "登录电子邮箱由枢纽统一管理" in page and "请联系枢纽同工为您修改" in page
    assert re.search(r'id="login-email">partner@example.org<', page)
    assert "<form" not in page.split('id="login-email"')[1].split("</main>")[0]  # nothing to submit


def test_hub_people_are_pointed_to_their_person_page(client_for, hub_staff):
    page = client_for(hub_staff).get(EMAIL_PAGE).content.decode()
    assert reverse("partners:person_edit", args=[hub_staff.pk]) in page


def _edit(client, person, email):
    return client.post(
        reverse("partners:person_edit", args=[person.pk]),
        {
            "email": email,
            "full_name": person.full_name,
            "phone": person.phone,
            "role": person.role,
            "position": person.position,
            "organisation": person.organisation_id or "",
            "is_active": "on",
        },
    )


def _reset_link():
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    return match.group(1)


def test_after_the_hub_changes_an_address_only_the_new_one_logs_in(client, client_for, hub_staff, partner):
    # A reset asked for earlier makes allauth record the old address as an EmailAddress row (the way
    # real accounts get one), and leaves a link in the old mailbox.
    client.post(reverse("account_reset_password"), {"email": "partner@example.org"})
    old_link = _reset_link()
    assert EmailAddress.objects.filter(user=partner, email="partner@example.org").exists()

    response = _edit(client_for(hub_staff), partner, "Lan.Laoshi@Example.org")
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.email == "lan.laoshi@example.org"
    assert list(EmailAddress.objects.filter(user=partner).values_list("email", "primary")) == [
        ("lan.laoshi@example.org", True)
    ]
    assert not _logs_in("partner@example.org")
    assert _logs_in("lan.laoshi@example.org")
    # The old mailbox's link is dead, and a new reset for the old address sends nothing.
    client.logout()
    assert "此链接已失效" in client.get(old_link, follow=True).content.decode()
    sent = len(mail.outbox)
    client.post(reverse("account_reset_password"), {"email": "partner@example.org"})
    assert len(mail.outbox) == sent


def test_an_address_someone_used_before_logs_only_its_new_owner_in(client_for, hub_admin, partner, other):
    # `other` once had this address and allauth still holds a row for it.
    EmailAddress.objects.create(user=other, email="shared@example.org", primary=False, verified=True)
    _edit(client_for(hub_admin), partner, "shared@example.org")
    assert list(
        EmailAddress.objects.filter(email__iexact="shared@example.org").values_list("user", flat=True)
    ) == [partner.pk]
    assert _logs_in("shared@example.org")  # the partner's password
    other.set_password("other-secret-2024")
    other.save()
    assert not _logs_in("shared@example.org", "other-secret-2024")
    assert _logs_in("other@example.org", "other-secret-2024")


def test_a_refused_edit_changes_no_address(client_for, hub_staff, partner, other):
    EmailAddress.objects.create(user=partner, email=partner.email, primary=True, verified=True)
    response = _edit(client_for(hub_staff), partner, other.email)  # taken
    assert response.status_code == 200
    assert list(EmailAddress.objects.filter(user=partner).values_list("email", "primary", "verified")) == [
        ("partner@example.org", True, True)
    ]


def test_an_unchanged_address_keeps_its_row_and_verification(client_for, hub_staff, partner):
    EmailAddress.objects.create(user=partner, email=partner.email, primary=False, verified=True)
    _edit(client_for(hub_staff), partner, partner.email)
    assert list(EmailAddress.objects.filter(user=partner).values_list("email", "primary", "verified")) == [
        ("partner@example.org", True, True)
    ]


def test_an_invited_person_has_exactly_one_primary_address(hub_staff, org_a):
    person = do_invite_person(
        email="New@Example.org",
        full_name="覃老师",
        role="partner_staff",
        organisation=org_a,
        invited_by=hub_staff,
    )
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "primary")) == [
        ("new@example.org", True)
    ]


def test_a_hub_admin_changing_the_address_in_the_admin_moves_the_login_too(client_for, hub_admin, partner):
    EmailAddress.objects.create(user=partner, email=partner.email, primary=True, verified=True)
    response = client_for(hub_admin).post(
        reverse("admin:partners_user_change", args=[partner.pk]),
        {
            "email": "lan.new@example.org",
            "full_name": partner.full_name,
            "phone": "",
            "role": partner.role,
            "position": partner.position,
            "organisation": partner.organisation_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(EmailAddress.objects.filter(user=partner).values_list("email", "primary")) == [
        ("lan.new@example.org", True)
    ]
    assert not _logs_in("partner@example.org")
    assert _logs_in("lan.new@example.org")


@pytest.mark.browser
def test_the_login_email_page_fits_a_phone_and_offers_nothing_to_submit(page_factory, make_user, org_a):
    person = make_user("wei.laoshi.duan.yaoshan.qinziyuan.2024@example.org", "partner_staff", org_a)
    page = page_factory(person, width=375)
    page.goto(f"{page.base_url}{EMAIL_PAGE}")
    assert page.locator("h1").inner_text() == "登录电子邮箱"
    assert page.locator("#login-email").inner_text() == person.email
    assert page.locator("main input, main button, main textarea").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
