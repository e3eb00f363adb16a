"""Tests that need the Celery broker down for a moment, without breaking later tests' publishes."""

import contextlib


@contextlib.contextmanager
def broker_down():
    from kombu import pools

    from hubsite.celery import app
    from hubsite.core import outbox

    def fresh_pools():
        # Celery keeps its broker pools in kombu's registry: without a reset they would go on using
        # the old address (or, closed with force_close_all, refuse every later test's publish).
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    fresh_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        fresh_pools()
        outbox._paused_until = 0.0  # the broker is back: no pause carried into the next test
