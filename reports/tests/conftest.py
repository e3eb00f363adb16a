import datetime

import pytest

from reports.defaults import load_default_indicators


@pytest.fixture(autouse=True)
def indicators(db):
    # Transactional tests (live server, threads) flush what the data migration loaded; every test
    # here starts from the default set whatever ran before it.
    from reports.models import Indicator

    load_default_indicators(Indicator)
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def month():
    """A month that has ended and whose due date has passed, with centre_a operating."""
    return datetime.date(2024, 3, 1)
