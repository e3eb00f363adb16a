from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.IntegerChoices):
    """Highest education, ordered so that a module's minimum is a comparison."""

    SECONDARY = 1, _("Secondary school")
    COLLEGE = 2, _("College (3 years)")
    BACHELOR = 3, _("Bachelor's degree")
    MASTER = 4, _("Master's degree or higher")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ENDORSED = "endorsed", _("Endorsed by the director")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("On the waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEFERRED = "deferred", _("Completion deferred")
    COMPLETED = "completed", _("Completed")


# Applications still waiting for the hub's selection.
PENDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.ENDORSED)
# Learners (学员): selected people, including those who completed or had completion deferred.
LEARNER_STATUSES = (ApplicationStatus.SELECTED, ApplicationStatus.DEFERRED, ApplicationStatus.COMPLETED)


class Decision(models.TextChoices):
    """What the hub may decide on an application after scoring it."""

    SELECTED = ApplicationStatus.SELECTED.value, ApplicationStatus.SELECTED.label
    WAITLISTED = ApplicationStatus.WAITLISTED.value, ApplicationStatus.WAITLISTED.label
    NOT_SELECTED = ApplicationStatus.NOT_SELECTED.value, ApplicationStatus.NOT_SELECTED.label
