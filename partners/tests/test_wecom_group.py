"""An organisation connects its own WeCom group robot on its page: a director (or hub staff) pastes the
robot's address, checked against the allowed hosts, and chooses which notifications the group hears of.
The key is a secret: pages show it masked, and only the hub and the organisation's own people see it."""

import pytest
from django.urls import reverse

from hubsite.core.notifications import register_kind
from partners.models import Organisation
from partners.wecom import organisation_group

register_kind("test.org_group", "机构群测试提醒")

KEY = "9f8e7d6c-secret-key"


@pytest.fixture
def allowed(settings):
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    settings.WECOM_WEBHOOK_ALLOW_HTTP = False


def _address(key=KEY):
    return f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}"


def _post(client, org, **data):
    org.refresh_from_db()
    return client.post(
        reverse("partners:organisation_wecom", args=[org.pk]),
        {"version": org.version, **data},
    )


def test_a_director_connects_the_group_and_the_page_shows_it_masked(client_for, director, org_a, allowed):
    client = client_for(director)
    response = _post(
        client, org_a, wecom_webhook_url=_address(), wecom_kinds=["reports.returned", "meetings.reminder"]
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#wecom-group")
    org_a.refresh_from_db()
    assert org_a.wecom_webhook_url == _address()
    assert org_a.wecom_kinds == ["reports.returned", "meetings.reminder"]
    html = client.get(org_a.get_absolute_url()).content.decode()
    box = html[html.index('id="wecom-group"') :]
    assert "企业微信群" in box and "已连接" in box
    assert "key=9f8e…" in box
    assert KEY not in html  # the key never shows on the page
    assert "退回修改后尚未重新提交的月报" in box  # the kinds it hears of, by name


def test_the_group_box_is_for_the_hub_and_the_organisations_own_people(
    client_for, hub_staff, partner, other, viewer, org_a, allowed
):
    org_a.wecom_webhook_url, org_a.wecom_kinds = _address(), ["reports.returned"]
    org_a.save()
    for person in (hub_staff, partner):
        assert 'id="wecom-group"' in client_for(person).get(org_a.get_absolute_url()).content.decode()
    for person in (other, viewer):
        html = client_for(person).get(org_a.get_absolute_url()).content.decode()
        assert 'id="wecom-group"' not in html and "9f8e" not in html
    # Partner staff see whether a group is connected, but only the director changes it.
    html = client_for(partner).get(org_a.get_absolute_url()).content.decode()
    assert reverse("partners:organisation_wecom", args=[org_a.pk]) not in html


def test_an_address_outside_the_allowed_hosts_is_refused_next_to_the_field(
    client_for, director, org_a, allowed
):
    client = client_for(director)
    for address, error in (
        ("https://evil.example.org/cgi-bin/webhook/send?key=x", "只接受企业微信的 Webhook 地址"),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "https://"),
    ):
        response = _post(client, org_a, wecom_webhook_url=address, wecom_kinds=["reports.returned"])
        assert response.status_code == 200
        assert error in response.context["form"].errors["wecom_webhook_url"][0]
    response = _post(client, org_a, wecom_webhook_url=_address(), wecom_kinds=[])
    assert "请至少选择一种" in response.context["form"].errors["wecom_kinds"][0]
    org_a.refresh_from_db()
    assert org_a.wecom_webhook_url == ""


def test_emptying_the_address_disconnects_the_group(client_for, hub_staff, org_a, allowed):
    org_a.wecom_webhook_url, org_a.wecom_kinds = _address(), ["reports.returned"]
    org_a.save()
    assert _post(client_for(hub_staff), org_a, wecom_webhook_url="", wecom_kinds=[]).status_code == 302
    org_a.refresh_from_db()
    assert (org_a.wecom_webhook_url, org_a.wecom_kinds) == ("", [])


def test_an_edit_over_someone_elses_is_refused(client_for, director, org_a, allowed):
    stale = org_a.version
    Organisation.objects.get(pk=org_a.pk).save_versioned(stale)  # someone saved the profile meanwhile
    response = client_for(director).post(
        reverse("partners:organisation_wecom", args=[org_a.pk]),
        {"version": stale, "wecom_webhook_url": _address(), "wecom_kinds": ["reports.returned"]},
    )
    assert response.status_code == 409
    org_a.refresh_from_db()
    assert org_a.wecom_webhook_url == ""


def test_another_organisations_director_gets_404_and_partner_staff_403(
    client_for, partner, org_a, org_b, make_user, allowed
):
    director_b = make_user("director-b@example.org", "director", org_b)
    url = reverse("partners:organisation_wecom", args=[org_a.pk])
    assert client_for(director_b).get(url).status_code == 404
    assert client_for(partner).get(url).status_code == 403


def test_the_form_page_runs_a_fixed_number_of_queries(client_for, director, org_a, django_assert_num_queries):
    client = client_for(director)
    url = reverse("partners:organisation_wecom", args=[org_a.pk])
    client.get(url)
    with django_assert_num_queries(3):  # session, user, organisation
        assert client.get(url).status_code == 200


def test_the_provider_names_the_recipients_group_only_for_the_kinds_it_chose(director, other, org_a, allowed):
    from hubsite.core.models import Notification

    org_a.wecom_webhook_url, org_a.wecom_kinds = _address(), ["test.org_group"]
    org_a.save()
    chosen = Notification(kind="test.org_group", recipient=director)
    assert organisation_group(chosen) == [_address()]
    assert organisation_group(Notification(kind="reports.approved", recipient=director)) == []
    assert organisation_group(Notification(kind="test.org_group", recipient=other)) == []


def test_the_form_offers_the_kinds_the_organisations_people_can_receive(client_for, director, org_a):
    html = client_for(director).get(reverse("partners:organisation_wecom", args=[org_a.pk])).content.decode()
    assert 'value="reports.returned"' in html and 'value="meetings.reminder"' in html
    assert 'value="reports.late_digest"' not in html  # the hub's digest reaches no partner
