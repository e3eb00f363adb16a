"""A partner's shared annual report in a real browser at phone width: its centres' table and the hub's
support it received fit 375 px (the table scrolls in its own box, the page does not)."""

import pytest

from reports.regional import annual_actions
from reports.tests import annual_world
from reports.tests.test_annual_partner import support_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partners_shared_report_with_its_centres_and_support_fits_a_phone(
    page_factory,
    screenshot,
    make_centre,
    org_a,
    centre_a,
    org_b,
    centre_b,
    hub_org,
    director,
    partner,
    other,
    hub_staff,
    indicators,
):
    narrative = annual_world.build(org_a, org_b, hub_org, organisation=org_a)
    support_world(org_a, org_b, centre_a, centre_b, director, partner, other, hub_staff, indicators)
    make_centre(org_a, "都安高岭社区亲子园", annual_world.START)
    token = annual_actions.do_share_narrative(by=director, narrative=narrative)

    anyone = page_factory(None, width=375)
    assert anyone.goto(f"{anyone.base_url}/reports/annual/shared/{token}/").status == 200
    anyone.wait_for_selector("#centres")
    assert "都安县城亲子园" in anyone.inner_text("#centres") and "1,200" in anyone.inner_text("#centres")
    assert "枢纽督导" in anyone.inner_text("#support")
    overflow = anyone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the shared report scrolls sideways by {overflow}px at 375 px"
    screenshot(anyone, "annual-partner-web-375")
