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


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Generated files go to a temporary MEDIA_ROOT, in this process and in a worker started after."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def regional_worker(media_root, celery_worker_process):
    """A real Celery worker that writes generated reports under the test's MEDIA_ROOT."""
    return celery_worker_process
