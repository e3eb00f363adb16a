import datetime

from partners.choices import CentreStatus, OrganisationStatus
from partners.coverage import centres_at_year_ends, coverage_as_of, nearest_covered


def test_it_counts_centres_operating_on_the_day_by_their_dates(org_a, org_b, make_centre):
    make_centre(org_a, "A1", datetime.date(2022, 5, 1))
    make_centre(org_a, "A2", datetime.date(2024, 1, 1), is_demonstration=True)
    make_centre(
        org_b,
        "B1",
        datetime.date(2022, 9, 1),
        status=CentreStatus.CLOSED,
        closed_on=datetime.date(2023, 6, 30),
    )
    make_centre(org_b, "B2", None, status=CentreStatus.PLANNED)

    now = coverage_as_of(datetime.date(2025, 1, 1))
    assert now.values()["451200"] == 2
    assert now.values()["450300"] == 0
    assert {p.prefecture.code for p in now.covered} == {"451200"}
    assert len(now.uncovered) == 13
    assert now.total_demonstration == 1

    back_then = coverage_as_of(datetime.date(2023, 1, 1))
    assert back_then.values() == {**dict.fromkeys(back_then.values(), 0), "451200": 1, "450300": 1}


def test_it_counts_prospects_per_prefecture(org_a, prefectures):
    from partners.models import Organisation

    Organisation.objects.create(
        name="钦州意向机构", prefecture=prefectures["450700"], status=OrganisationStatus.PROSPECT
    )
    coverage = coverage_as_of(datetime.date(2025, 1, 1))
    qinzhou = next(p for p in coverage.prefectures if p.prefecture.code == "450700")
    assert qinzhou.prospects == 1 and not qinzhou.covered


def test_it_counts_centres_at_each_year_end_in_one_query(org_a, make_centre, django_assert_num_queries):
    make_centre(org_a, "A1", datetime.date(2019, 5, 1))
    make_centre(org_a, "A2", datetime.date(2021, 3, 1))
    with django_assert_num_queries(1):
        growth = centres_at_year_ends(datetime.date(2022, 6, 1))
    assert growth == [(2018, 0), (2019, 1), (2020, 1), (2021, 2), (2022, 2)]


def test_coverage_runs_two_queries_whatever_the_number_of_centres(
    org_a, make_centre, django_assert_num_queries
):
    for i in range(30):
        make_centre(org_a, f"C{i}", datetime.date(2020, 1, 1))
    with django_assert_num_queries(2):
        coverage = coverage_as_of(datetime.date(2025, 1, 1))
    assert coverage.total_centres == 30


def test_nearest_covered_prefectures_of_qinzhou_start_with_its_neighbours():
    nearest = nearest_covered("450700", {"450100", "450300", "451200"})
    assert nearest[0] == "450100"  # Nanning borders Qinzhou; Guilin is far north
    assert "450300" not in nearest[:1]


def test_it_counts_each_organisation_once_however_many_centres_and_prospects_its_prefecture_has(
    org_a, make_centre, prefectures
):
    from partners.models import Organisation

    for name in ("A1", "A2", "A3"):
        make_centre(org_a, name, datetime.date(2022, 5, 1))
    for n in range(2):
        Organisation.objects.create(
            name=f"都安意向{n}", prefecture=org_a.prefecture, status=OrganisationStatus.APPLICANT
        )

    (row,) = [p for p in coverage_as_of(datetime.date(2025, 1, 1)).prefectures if p.covered]

    # Neither count multiplied by the other (centres x prospects), nor centres counted per organisation.
    assert (row.centres, row.organisations, row.prospects, row.demonstration) == (3, 1, 2, 0)
