"""The yearly needs questionnaire, the network's needs and the training topics they suggest."""

import datetime

import pytest
from django.urls import reverse

from meetings.choices import MeetingKind
from meetings.models import Meeting
from partners.choices import OrganisationStatus
from partners.models import NeedsAnswer, NeedsAssessment, NeedsQuestion, Organisation
from partners.needs import common_needs

NOW = datetime.datetime.fromisoformat("2026-03-10T09:00:00+08:00")
YEAR = 2026


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def questions(db):
    return [
        NeedsQuestion.objects.create(
            area="finance", text="财务制度与报销", topic="机构财务管理", first_year=2025, order=1
        ),
        NeedsQuestion.objects.create(
            area="fundraising", text="本地筹款", topic="社区筹款实务", first_year=2026, order=2
        ),
        # Retired after 2025: not asked in 2026.
        NeedsQuestion.objects.create(
            area="governance", text="旧问题", topic="旧主题", first_year=2024, last_year=2025
        ),
    ]


def fill_url(year=YEAR):
    return reverse("partners:needs_fill", args=[year])


def answers(questions, scores, comment=""):
    data = {}
    for question, score in zip(questions, scores, strict=True):
        data[f"score_{question.pk}"] = score
        data[f"comment_{question.pk}"] = comment
    return data


def partner_org(name, prefectures):
    from partners.models import Prefecture

    return Organisation.objects.create(
        name=name, prefecture=Prefecture.objects.first(), status=OrganisationStatus.ACTIVE
    )


def assessment(organisation, scores, questions):
    record = NeedsAssessment.objects.create(organisation=organisation, year=YEAR)
    NeedsAnswer.objects.bulk_create(
        NeedsAnswer(assessment=record, question=question, score=score)
        for question, score in zip(questions, scores, strict=True)
    )
    return record


def test_the_director_answers_this_years_questions_for_their_organisation(
    client_for, director, org_a, questions
):
    client = client_for(director)
    page = client.get(fill_url()).content.decode()
    assert "财务制度与报销" in page and "本地筹款" in page and "旧问题" not in page
    response = client.post(fill_url(), answers(questions[:2], [5, 2], comment="缺会计"))
    record = NeedsAssessment.objects.get(organisation=org_a, year=YEAR)
    assert response["Location"] == record.get_absolute_url()
    assert {(a.question.text, a.score, a.comment) for a in record.answers.select_related("question")} == {
        ("财务制度与报销", 5, "缺会计"),
        ("本地筹款", 2, "缺会计"),
    }
    assert record.filled_by == director


def test_a_missing_or_out_of_range_score_saves_nothing(client_for, director, questions):
    data = answers(questions[:2], [5, 9])
    response = client_for(director).post(fill_url(), data)
    assert response.status_code == 200
    assert f"score_{questions[1].pk}" in response.context["form"].errors
    del data[f"score_{questions[0].pk}"]
    response = client_for(director).post(fill_url(), data)
    assert "从1到5" in response.content.decode() or "1 to 5" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_answering_again_replaces_the_answers(client_for, director, org_a, questions):
    client = client_for(director)
    client.post(fill_url(), answers(questions[:2], [5, 2]))
    page = client.get(fill_url()).content.decode()
    assert 'value="5" class' in page or 'value="5"' in page
    client.post(fill_url(), answers(questions[:2], [1, 1]))
    record = NeedsAssessment.objects.get(organisation=org_a, year=YEAR)
    assert sorted(record.answers.values_list("score", flat=True)) == [1, 1]


def test_a_year_without_questions_has_no_questionnaire(client_for, director, questions):
    assert client_for(director).get(fill_url(2023)).status_code == 404


def test_the_hub_sees_the_networks_needs_and_the_topics_several_organisations_share(
    client_for, hub_staff, org_a, org_b, questions, prefectures
):
    assessment(org_a, [5, 4], questions[:2])
    assessment(org_b, [4, 1], questions[:2])
    assessment(partner_org("河池某机构", prefectures), [2, 5], questions[:2])
    partner_org("未填写的机构", prefectures)
    topics = common_needs(YEAR)
    assert [row["topic"] for row in topics] == ["机构财务管理", "社区筹款实务"]
    assert [(row["high"], round(float(row["average"]), 2)) for row in topics] == [(2, 3.67), (2, 3.33)]
    response = client_for(hub_staff).get(reverse("partners:needs_network", args=[YEAR]))
    assert [str(organisation) for organisation in response.context["missing"]] == ["未填写的机构"]
    page = response.content.decode()
    assert page.count('class="topic"') == 2 and "河池某机构" in page


def test_a_need_rated_high_by_one_organisation_only_is_no_common_topic(org_a, questions):
    assessment(org_a, [5, 5], questions[:2])
    assert common_needs(YEAR) == []


@pytest.mark.parametrize("organisations", [1, 5])
def test_the_networks_needs_cost_the_same_whatever_the_answers(
    organisations, client_for, hub_staff, questions, prefectures, django_assert_num_queries
):
    for number in range(organisations):
        assessment(partner_org(f"机构{number}", prefectures), [5, 3], questions[:2])
    client = client_for(hub_staff)
    # session, user, the summary, the assessments, the organisations yet to answer
    with django_assert_num_queries(5):
        response = client.get(reverse("partners:needs_network", args=[YEAR]))
    assert response.content.decode().count('class="need-row"') == 2


def test_the_half_year_regional_meeting_form_suggests_the_shared_topics(
    client_for, hub_staff, org_a, org_b, questions
):
    assessment(org_a, [5, 4], questions[:2])
    assessment(org_b, [4, 5], questions[:2])
    client = client_for(hub_staff)
    page = client.get(
        reverse("meetings:meeting_create") + f"?kind={MeetingKind.HALF_YEAR_REGIONAL}"
    ).content.decode()
    assert page.count('class="suggested-topic"') == 2
    # Equally shared: the questionnaire's order decides.
    assert page.index("机构财务管理") < page.index("社区筹款实务")
    other = client.get(
        reverse("meetings:meeting_create") + f"?kind={MeetingKind.MONTHLY_TOPIC}"
    ).content.decode()
    assert "suggested-topic" not in other


def test_an_existing_half_year_meeting_suggests_the_needs_of_its_year(
    client_for, hub_staff, org_a, org_b, questions
):
    assessment(org_a, [5, 4], questions[:2])
    assessment(org_b, [4, 1], questions[:2])
    start = NOW + datetime.timedelta(days=60)
    meeting = Meeting.objects.create(
        kind=MeetingKind.HALF_YEAR_REGIONAL,
        title="半年区域会",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    page = client_for(hub_staff).get(reverse("meetings:meeting_edit", args=[meeting.pk])).content.decode()
    assert "机构财务管理" in page and "社区筹款实务" not in page


def test_a_half_year_meeting_form_sent_back_with_errors_keeps_its_suggestions(
    client_for, hub_staff, org_a, org_b, questions
):
    assessment(org_a, [5, 4], questions[:2])
    assessment(org_b, [4, 1], questions[:2])
    response = client_for(hub_staff).post(
        reverse("meetings:meeting_create"), {"kind": MeetingKind.HALF_YEAR_REGIONAL}
    )
    assert response.status_code == 400
    assert "机构财务管理" in response.content.decode()
