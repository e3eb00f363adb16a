"""The group's own work (seeds 000 and 004): its plan, topic voting and joint actions.

Imported at the end of ``models.py`` so Django registers these models with the mutualaid app.

- The plan: stage goals with dates, the core team and its roles, agreed ways of working, and an
  action plan whose items ARE the meetings' action items (``PlanAction`` links one to the plan), so
  owners get the meetings' daily digest and close them where they close every other follow-up.
- Topic voting: partners propose topics for the monthly topic meetings and rate each by
  recommendation and difficulty (推荐指数/困难指数, 1-5); the host sees the ranking when choosing.
- Joint actions: several organisations run one campaign with sub-activities; each logs its own part
  and the action adds them up in one query.

All three are shared inside the network (partner people and the hub); viewers do not see them, like
the rest of the group's working pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.models import TimeStampedModel, VersionedModel
from hubsite.core.scoping import ScopedQuerySet
from partners.models import Organisation

SCORE_MIN, SCORE_MAX = 1, 5


class NetworkQuerySet(ScopedQuerySet):
    """Shared with every partner person and the hub; viewers see none of it."""

    def visible_to(self, user):
        return Q() if user.is_partner and user.organisation_id else None

    def editable_to(self, user):
        return None


# ---------------------------------------------------------------------------------------------
# The group's plan


class GroupPlan(VersionedModel, TimeStampedModel):
    """The group's co-created plan for one stage (seed 000: goals, core team, ways of working,
    action plan). The hub keeps it; the newest is the current one."""

    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(pgettext_lazy("period", "from"), validators=[bounds.DATE])
    ends_on = models.DateField(_("until"), validators=[bounds.DATE])
    ways_of_working = models.TextField(
        _("ways of working"), help_text=_("How the core team works and communicates, as agreed.")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agreed in meeting"),
        help_text=_("The meeting where the plan was agreed; its action items are follow-ups of it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("group plan")
        verbose_name_plural = _("group plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:plan")


class StageGoal(VersionedModel):
    """A stage goal of the plan, with the date it should be reached by (versioned: the hub edits it)."""

    plan = models.ForeignKey(GroupPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("reached by"), validators=[bounds.DATE])
    reached_on = models.DateField(_("reached on"), validators=[bounds.PAST_DATE], null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("stage goal")
        verbose_name_plural = _("stage goals")

    def __str__(self) -> str:
        return self.title


class CoreTeamMember(VersionedModel):
    """A person of a member organisation on the core team, with the role the group agreed (versioned:
    the hub changes the role)."""

    plan = models.ForeignKey(GroupPlan, on_delete=models.CASCADE, related_name="core_team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    # The organisation when the person joined, so the team reads the same after people move.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(pgettext_lazy("core team", "role"), max_length=100)

    class Meta:
        ordering = ["organisation__name", "person__full_name"]
        verbose_name = _("core team member")
        verbose_name_plural = _("core team members")
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="core_team_person_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class PlanAction(models.Model):
    """Puts one of the meetings' action items on the plan (optionally under a stage goal): the item
    itself, its owner, due date, status and reminders stay the meetings' own."""

    plan = models.ForeignKey(GroupPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        StageGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("stage goal"),
    )
    action_item = models.OneToOneField(
        "meetings.ActionItem", on_delete=models.CASCADE, related_name="group_plan_link"
    )

    class Meta:
        ordering = ["action_item__due_on", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return str(self.action_item_id)


# ---------------------------------------------------------------------------------------------
# Topic voting


class GroupTopicQuerySet(NetworkQuerySet):
    def ranked(self):
        """Each topic with its average scores and vote count, best first: most recommended, then
        least difficult, then most votes (one query)."""
        return self.annotate(
            recommendation=Avg("votes__recommendation"),
            difficulty=Avg("votes__difficulty"),
            vote_count=Count("votes"),
        ).order_by(
            models.F("recommendation").desc(nulls_last=True),
            models.F("difficulty").asc(nulls_last=True),
            "-vote_count",
            "pk",
        )

    def open(self):
        return self.filter(chosen_for__isnull=True)


class GroupTopic(TimeStampedModel):
    """A topic proposed for a monthly topic meeting (月度小议题)."""

    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("the problem"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by organisation")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    chosen_for = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen for"),
    )
    chosen_at = models.DateTimeField(_("chosen at"), validators=[bounds.DATE], null=True, blank=True)

    objects = GroupTopicQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed topic")
        verbose_name_plural = _("proposed topics")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:topic_list")


class TopicVote(TimeStampedModel):
    """One person's scores for one topic (a second vote replaces the first)."""

    topic = models.ForeignKey(GroupTopic, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    recommendation = models.PositiveSmallIntegerField(
        _("recommendation score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("topic vote")
        verbose_name_plural = _("topic votes")
        constraints = [
            models.UniqueConstraint(fields=["topic", "person"], name="one_vote_per_person"),
            models.CheckConstraint(
                condition=Q(recommendation__gte=SCORE_MIN, recommendation__lte=SCORE_MAX)
                & Q(difficulty__gte=SCORE_MIN, difficulty__lte=SCORE_MAX),
                name="topic_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.recommendation}/{self.difficulty}"


# ---------------------------------------------------------------------------------------------
# Joint actions


@dataclass
class JointFigures:
    """What the organisations of a joint action did together."""

    organisations: int
    sessions: int
    people_served: int
    volunteers: int
    materials: int


class JointAction(TimeStampedModel):
    """One campaign several organisations run together (seed 004's 联合行动)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_on = models.DateField(pgettext_lazy("period", "from"), validators=[bounds.DATE])
    ends_on = models.DateField(_("until"), validators=[bounds.DATE])
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="joint_action_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualaid:joint_detail", args=[self.pk])

    def figures(self) -> JointFigures:
        """The combined figures of every part logged (one query)."""
        row = JointPart.objects.filter(action=self).aggregate(
            organisations=Count("organisation", distinct=True),
            sessions=Sum("sessions"),
            people_served=Sum("people_served"),
            volunteers=Sum("volunteers"),
            materials=Sum("materials"),
        )
        return JointFigures(**{key: value or 0 for key, value in row.items()})


class JointActivity(VersionedModel):
    """A sub-activity of a joint action (e.g. a children's workshop, a quiz, a shop campaign); versioned:
    the lead or the hub renames it until parts are logged against it."""

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("sub-activity"), max_length=200)
    order = models.PositiveSmallIntegerField(
        pgettext_lazy("sequence", "order"), validators=[bounds.ORDER], default=0
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("sub-activity")
        verbose_name_plural = _("sub-activities")

    def __str__(self) -> str:
        return self.title


class JointParticipant(models.Model):
    """An organisation taking part in a joint action (invited by the lead or the hub)."""

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    invited_at = models.DateTimeField(_("invited at"), validators=[bounds.DATE], default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="joint_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.action}"


class JointPartQuerySet(ScopedQuerySet):
    """Parts are read by every partner (the action is shared) and changed only by their organisation."""

    def visible_to(self, user):
        return Q() if user.is_partner and user.organisation_id else None

    def editable_to(self, user):
        return self.own_organisation(user)


class JointPart(VersionedModel, TimeStampedModel):
    """What one organisation did for one sub-activity of a joint action, on one day."""

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="parts")
    activity = models.ForeignKey(
        JointActivity, on_delete=models.PROTECT, related_name="parts", verbose_name=_("sub-activity")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    held_on = models.DateField(_("date"), validators=[bounds.PAST_DATE])
    sessions = models.PositiveIntegerField(
        pgettext_lazy("joint action", "sessions"), validators=[bounds.COUNT]
    )
    people_served = models.PositiveIntegerField(_("people served"), validators=[bounds.COUNT])
    volunteers = models.PositiveIntegerField(_("volunteers"), validators=[bounds.COUNT], default=0)
    materials = models.PositiveIntegerField(_("materials handed out"), validators=[bounds.COUNT], default=0)
    note = models.TextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = JointPartQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("part of a joint action")
        verbose_name_plural = _("parts of joint actions")
        constraints = [models.CheckConstraint(condition=Q(sessions__gt=0), name="joint_part_has_sessions")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.activity}"
