import uuid

import pytest


@pytest.fixture
def own_rate_limits(settings):
    """A fresh cache namespace on the real Redis, so this test's failed logins lock nobody else out."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"hubsite-test-{uuid.uuid4().hex}"}
    }
