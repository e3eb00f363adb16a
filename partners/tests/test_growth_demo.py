"""The demo's growth file, and the demo dates the 2024 mutual-aid review relies on."""

from mutualaid.models import ReviewRound
from partners.choices import GraduationDecision
from partners.models import NeedsAssessment, Organisation, OrganisationStageChange, SupportCycle
from partners.needs import common_needs


def test_the_2024_review_admits_the_pioneers_on_their_own_merits(demo):
    review = ReviewRound.objects.get(name="2024 年度评审")
    results = {r.organisation.short_name: r for r in review.results.select_related("organisation")}
    for name in ("都安瑶山", "桂林现代"):
        result = results[name]
        assert result.qualifies and result.missing == [], (name, result.missing)
        assert result.decision == "admitted" and "只差一项" not in result.decision_note


def test_every_partner_has_a_stage_history_ending_at_its_stage_and_a_2026_cycle(demo):
    for organisation in Organisation.objects.active().partners():
        latest = OrganisationStageChange.objects.filter(organisation=organisation).first()
        assert latest.to_stage == organisation.stage, organisation
        cycle = SupportCycle.objects.get(organisation=organisation, starts_on__year=2026)
        assert cycle.goals.count() >= 4
    graduated = SupportCycle.objects.get(graduation=GraduationDecision.GRADUATED)
    assert graduated.organisation.short_name == "桂林现代" and graduated.graduation_evidence


def test_most_partners_answered_the_2026_needs_and_some_needs_are_common(demo):
    partners = Organisation.objects.active().partners().count()
    answered = NeedsAssessment.objects.filter(year=2026).count()
    assert partners - 2 == answered
    topics = [row["topic"] for row in common_needs(2026)]
    assert "社区筹款与本地资源动员" in topics and len(topics) >= 3
