"""The hub's home panel caches the network-wide evaluation (about a second at 1,000 organisations);
any change to what the five criteria read, to membership or to the policy renews its version."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from partners.models import Award, Centre, CentreAssessment, ExpansionPlan, Organisation, SharedExperience

from .models import EligibilityPolicy, HelpHours, Membership

VERSION_KEY = "mutualaid:evaluation-version"
WATCHED = (
    Organisation,
    Centre,
    CentreAssessment,
    Award,
    ExpansionPlan,
    SharedExperience,
    Membership,
    EligibilityPolicy,
    HelpHours,
)


def evaluation_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 0, None)
        version = cache.get(VERSION_KEY, 0)
    return version


def evaluation_changed() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def _changed(**kwargs):
    transaction.on_commit(evaluation_changed)


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"mutualaid-evaluation-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"mutualaid-evaluation-del-{model.__name__}")
