"""A visitor who is not logged in and opens the site's address gets the public page, not a login form."""

from django.urls import reverse


def test_a_visitor_opening_the_site_sees_the_public_page_with_a_way_to_log_in(client, prefectures):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="province-map' in html  # the network's map
    assert 'action="/coverage/public/interest/#interest"' in html  # the form to start a centre
    assert reverse("account_login") in html


def test_a_person_logged_in_still_gets_their_own_home(client_for, partner):
    html = client_for(partner).get(reverse("home")).content.decode()
    assert "/coverage/public/interest/" not in html
