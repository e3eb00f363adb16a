"""Pages of the group's own work: its plan, topic voting for the monthly topic meetings, joint actions.

Shared inside the network (partner people and the hub; viewers 403 like the group's other working
pages). The hub keeps the plan; partners propose and score topics, and the host of the next monthly
topic meeting chooses from the ranking; any partner starts a joint action and invites others, and
each organisation logs and corrects only its own part.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from hubsite.core.permissions import HubRequiredMixin, PartnerOrHubMixin, PartnerRequiredMixin
from hubsite.core.views import ActionFormView
from meetings.choices import MeetingKind
from meetings.models import Meeting

from . import actions
from . import group_forms as forms
from .group_models import (
    CoreTeamMember,
    GroupPlan,
    GroupTopic,
    JointAction,
    JointActivity,
    JointPart,
    JointParticipant,
    PlanAction,
    StageGoal,
    TopicVote,
)

RANKING_ON_MEETING = 5


class GroupFormPage:
    """The mutual-aid form page, without the study-visit budget box."""

    template_name = "mutualaid/form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["budget"] = None
        return context


def current_plan(user):
    return GroupPlan.objects.for_user(user).select_related("meeting").first()


# ---------------------------------------------------------------------------------------------
# The plan


class PlanView(PartnerOrHubMixin, TemplateView):
    """The group's current plan: stage goals, core team, ways of working and the action plan."""

    template_name = "mutualaid/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = current_plan(self.request.user)
        context["plan"] = plan
        if plan is not None:
            context.update(
                goals=list(StageGoal.objects.filter(plan=plan)),
                team=list(CoreTeamMember.objects.filter(plan=plan).select_related("person", "organisation")),
                # The plan's items are shared with the whole group, unlike other action items.
                items=list(
                    PlanAction.objects.filter(plan=plan)
                    .select_related("goal", "action_item__owner_organisation", "action_item__owner_person")
                    .order_by("action_item__due_on", "pk")
                ),
                today=timezone.localdate(),
            )
        return context


class PlanEditView(HubRequiredMixin, GroupFormPage, ActionFormView):
    form_class = forms.PlanForm
    page_title = gettext_lazy("The group's plan")
    success_message = gettext_lazy("Plan saved.")

    def get_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = current_plan(self.request.user)
        return self._plan

    def get_initial(self):
        plan = self.get_plan()
        if plan is None:
            return {}
        return {
            "title": plan.title,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "meeting": plan.meeting_id,
            "ways_of_working": plan.ways_of_working,
            "version": plan.version,
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        return actions.do_save_plan(
            by=self.request.user, plan=self.get_plan(), expected_version=version, **data
        )

    def get_success_url(self):
        return reverse("mutualaid:plan")


class PlanPartView(HubRequiredMixin, GroupFormPage, ActionFormView):
    """Adds one piece to the current plan (404 until there is a plan)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_hub and self.get_plan() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_plan(self):
        # Loaded once per request: dispatch, the form and the page all ask for it.
        if not hasattr(self, "_plan"):
            self._plan = current_plan(self.request.user)
        return self._plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_plan()
        return context

    def get_success_url(self):
        return reverse("mutualaid:plan")


class PlanGoalView(PlanPartView):
    form_class = forms.GoalForm
    page_title = gettext_lazy("Add a stage goal")

    def perform(self, form):
        plan = self.get_plan()
        return actions.do_add_goal(by=self.request.user, plan_id=plan.pk, **form.cleaned_data)


class GoalReachedView(PlanPartView):
    form_class = forms.GoalReachedForm
    page_title = gettext_lazy("Mark the goal reached")

    def get_goal(self):
        plan = self.get_plan()
        return get_object_or_404(StageGoal.objects.filter(plan=plan), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_goal()
        return context

    def get_initial(self):
        return {"reached_on": timezone.localdate()}

    def perform(self, form):
        return actions.do_mark_goal_reached(
            by=self.request.user, goal_id=self.get_goal().pk, **form.cleaned_data
        )


class GoalEditMixin:
    def get_goal(self):
        if not hasattr(self, "_goal"):
            self._goal = get_object_or_404(
                StageGoal.objects.filter(plan=self.get_plan()), pk=self.kwargs["pk"]
            )
        return self._goal

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_goal()
        return context


class GoalEditView(GoalEditMixin, PlanPartView):
    form_class = forms.GoalEditForm
    page_title = gettext_lazy("Edit the stage goal")
    success_message = gettext_lazy("Stage goal saved.")

    def get_initial(self):
        goal = self.get_goal()
        fields = ("title", "description", "due_on", "version")
        return {field: getattr(goal, field) for field in fields}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        return actions.do_edit_goal(
            by=self.request.user, goal_id=self.get_goal().pk, expected_version=version, **data
        )


class GoalDeleteView(GoalEditMixin, PlanPartView):
    form_class = forms.ConfirmForm
    page_title = gettext_lazy("Delete the stage goal")
    submit_label = pgettext_lazy("button", "Delete")
    success_message = gettext_lazy("Stage goal deleted.")

    def get_initial(self):
        return {"version": self.get_goal().version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = gettext_lazy(
            "The plan's action items under this goal stay on the plan, without a stage goal."
        )
        return context

    def perform(self, form):
        return actions.do_delete_goal(
            by=self.request.user, goal_id=self.get_goal().pk, expected_version=form.cleaned_data["version"]
        )


class CoreMemberMixin:
    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = get_object_or_404(
                CoreTeamMember.objects.filter(plan=self.get_plan()).select_related("person", "organisation"),
                pk=self.kwargs["pk"],
            )
        return self._member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.get_member()
        context["subtitle"] = f"{member.person.full_name} · {member.organisation.display_name}"
        return context


class CoreRoleView(CoreMemberMixin, PlanPartView):
    form_class = forms.CoreRoleForm
    page_title = gettext_lazy("Change the role in the core team")
    success_message = gettext_lazy("Role changed; the person has been told.")

    def get_initial(self):
        member = self.get_member()
        return {"role": member.role, "version": member.version}

    def perform(self, form):
        return actions.do_change_core_role(
            by=self.request.user,
            member_id=self.get_member().pk,
            expected_version=form.cleaned_data["version"],
            role=form.cleaned_data["role"],
        )


class CoreRemoveView(CoreMemberMixin, PlanPartView):
    form_class = forms.ConfirmForm
    page_title = gettext_lazy("Remove from the core team")
    submit_label = pgettext_lazy("core team", "Remove")
    success_message = gettext_lazy("Removed from the core team; the person has been told.")

    def get_initial(self):
        return {"version": self.get_member().version}

    def perform(self, form):
        return actions.do_remove_core_member(
            by=self.request.user,
            member_id=self.get_member().pk,
            expected_version=form.cleaned_data["version"],
        )


class PlanTeamView(PlanPartView):
    form_class = forms.CoreTeamForm
    page_title = gettext_lazy("Add to the core team")

    def perform(self, form):
        plan = self.get_plan()
        return actions.do_add_core_member(by=self.request.user, plan_id=plan.pk, **form.cleaned_data)


class PlanItemView(PlanPartView):
    form_class = forms.PlanItemForm
    page_title = gettext_lazy("Add an action item")
    success_message = gettext_lazy("Action item added; its owner is reminded before it is due.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def perform(self, form):
        plan = self.get_plan()
        return actions.do_add_plan_item(by=self.request.user, plan_id=plan.pk, **form.cleaned_data)


# ---------------------------------------------------------------------------------------------
# Topic voting


def ranking(user, limit=None):
    topics = GroupTopic.objects.for_user(user).open().ranked().select_related("organisation")
    return list(topics[:limit] if limit else topics)


class TopicListView(PartnerOrHubMixin, TemplateView):
    """Open topics ranked by their scores, the person's own scores, and topics chosen lately."""

    template_name = "mutualaid/topic_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = actions.next_topic_meeting()
        mine = (
            dict(TopicVote.objects.filter(person=user).values_list("topic_id", "recommendation"))
            if user.is_partner
            else {}
        )
        topics = ranking(user)
        for topic in topics:
            topic.my_vote = mine.get(topic.pk)
        context.update(
            topics=topics,
            meeting=meeting,
            can_choose=actions.can_choose_topic(user, meeting),
            chosen=list(
                GroupTopic.objects.for_user(user)
                .filter(chosen_for__isnull=False)
                .select_related("chosen_for", "organisation")
                .order_by("-chosen_at")[:10]
            ),
        )
        return context


class TopicCreateView(PartnerRequiredMixin, GroupFormPage, ActionFormView):
    form_class = forms.TopicForm
    page_title = gettext_lazy("Propose a topic")
    success_message = gettext_lazy("Topic proposed; colleagues can now score it.")

    def perform(self, form):
        return actions.do_propose_group_topic(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("mutualaid:topic_list")


class TopicMixin:
    def get_topic(self):
        return get_object_or_404(GroupTopic.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_topic()
        return context

    def get_success_url(self):
        return reverse("mutualaid:topic_list")


class TopicVoteView(PartnerRequiredMixin, TopicMixin, GroupFormPage, ActionFormView):
    form_class = forms.VoteForm
    page_title = gettext_lazy("Score the topic")
    success_message = gettext_lazy("Thank you, your scores are counted.")

    def get_initial(self):
        vote = TopicVote.objects.filter(topic=self.get_topic(), person=self.request.user).first()
        return {"recommendation": vote.recommendation, "difficulty": vote.difficulty} if vote else {}

    def perform(self, form):
        return actions.do_vote_topic(by=self.request.user, topic_id=self.get_topic().pk, **form.cleaned_data)


class TopicChooseView(PartnerOrHubMixin, TopicMixin, GroupFormPage, ActionFormView):
    """The host of a monthly topic meeting (or the hub) takes the topic for that meeting."""

    form_class = forms.ChooseTopicForm
    page_title = gettext_lazy("Choose this topic")
    success_message = gettext_lazy("Topic chosen; it is now the meeting's proposed topic.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (request.user.is_hub or request.user.is_partner):
            self.topic = self.get_topic()
            self.meeting = get_object_or_404(
                Meeting.objects.for_user(request.user).filter(kind=MeetingKind.MONTHLY_TOPIC),
                pk=self.kwargs["meeting"],
            )
            if not actions.can_choose_topic(request.user, self.meeting):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = f"{self.topic} → {self.meeting.title}"
        return context

    def perform(self, form):
        return actions.do_choose_topic(
            by=self.request.user, topic_id=self.topic.pk, meeting_id=self.meeting.pk
        )

    def get_success_url(self):
        return self.meeting.get_absolute_url()


def topic_panels(request, meeting) -> list[dict]:
    """On a monthly topic meeting's page (registered into ``meetings.hooks.meeting_panels``): the
    voted topics' ranking for the host and the hub while the topic can still be chosen. One query,
    and none for other meetings or other people."""
    user = request.user
    if meeting.kind != MeetingKind.MONTHLY_TOPIC or not actions.can_choose_topic(user, meeting):
        return []
    return [
        {
            "template": "mutualaid/_topic_panel.html",
            "topics": ranking(user, RANKING_ON_MEETING),
            "meeting": meeting,
        }
    ]


# ---------------------------------------------------------------------------------------------
# Joint actions


def _totals(queryset):
    return queryset.annotate(
        organisations=Count("parts__organisation", distinct=True),
        sessions=Sum("parts__sessions"),
        people_served=Sum("parts__people_served"),
        volunteers=Sum("parts__volunteers"),
        materials=Sum("parts__materials"),
    )


class JointListView(PartnerOrHubMixin, TemplateView):
    template_name = "mutualaid/joint_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = list(
            _totals(JointAction.objects.for_user(self.request.user).select_related("lead")).order_by(
                "-starts_on", "-pk"
            )
        )
        return context


class JointCreateView(PartnerOrHubMixin, GroupFormPage, ActionFormView):
    form_class = forms.JointActionForm
    page_title = gettext_lazy("Start a joint action")
    success_message = gettext_lazy("Joint action started; now invite the organisations taking part.")

    def perform(self, form):
        return actions.do_create_joint_action(by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class JointMixin:
    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = get_object_or_404(
                JointAction.objects.for_user(self.request.user).select_related("lead"), pk=self.kwargs["pk"]
            )
        return self._action


class JointDetailView(PartnerOrHubMixin, JointMixin, TemplateView):
    """The action, its combined figures (one query), each organisation's share and every part."""

    template_name = "mutualaid/joint_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, action = self.request.user, self.get_action()
        participants = list(JointParticipant.objects.filter(action=action).select_related("organisation"))
        taking_part = user.is_partner and any(p.organisation_id == user.organisation_id for p in participants)
        shares = {
            row["organisation_id"]: row
            for row in JointPart.objects.filter(action=action)
            .values("organisation_id")
            .annotate(
                sessions=Sum("sessions"),
                people_served=Sum("people_served"),
                volunteers=Sum("volunteers"),
                materials=Sum("materials"),
            )
            .order_by()
        }
        for participant in participants:
            participant.share = shares.get(participant.organisation_id)
        context.update(
            action=action,
            figures=action.figures(),
            # With their part counts (same query): a sub-activity with parts can no longer change.
            activities=list(action.activities.annotate(logged=Count("parts"))),
            participants=participants,
            parts=list(
                JointPart.objects.for_user(user)
                .filter(action=action)
                .select_related("organisation", "activity")
                .order_by("-held_on", "-pk")
            ),
            can_log=taking_part,
            can_invite=actions.can_invite(user, action),
        )
        return context


class JointInviteView(PartnerOrHubMixin, JointMixin, GroupFormPage, ActionFormView):
    """The lead organisation or the hub invites another organisation (others 403)."""

    form_class = forms.InviteForm
    page_title = gettext_lazy("Invite an organisation")
    success_message = gettext_lazy("Invited; the organisation's directors have been told.")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and (user.is_hub or user.is_partner)
            and not actions.can_invite(user, self.get_action())
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.get_action()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_action()
        return context

    def perform(self, form):
        return actions.do_invite_to_joint_action(
            by=self.request.user, action_id=self.get_action().pk, **form.cleaned_data
        )

    def get_success_url(self):
        return self.get_action().get_absolute_url()


class JointLogView(PartnerRequiredMixin, JointMixin, GroupFormPage, ActionFormView):
    """A person of a participating organisation logs its part (others 403)."""

    form_class = forms.PartForm
    page_title = gettext_lazy("Log our part")
    success_message = gettext_lazy("Part logged; the action's figures now include it.")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_partner:
            action = self.get_action()
            if not action.participants.filter(organisation_id=user.organisation_id).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.get_action()}

    def get_initial(self):
        return {"held_on": min(timezone.localdate(), self.get_action().ends_on)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_action()
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return actions.do_log_joint_part(by=self.request.user, action_id=self.get_action().pk, **data)

    def get_success_url(self):
        return self.get_action().get_absolute_url()


class JointPartEditView(PartnerRequiredMixin, GroupFormPage, ActionFormView):
    """Its own organisation corrects a part; another organisation's part answers 404."""

    form_class = forms.PartForm
    page_title = gettext_lazy("Correct our part")
    success_message = gettext_lazy("Part saved.")

    def get_part(self):
        if not hasattr(self, "_part"):
            self._part = get_object_or_404(
                JointPart.objects.editable_by(self.request.user).select_related("action", "activity"),
                pk=self.kwargs["pk"],
            )
        return self._part

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.get_part().action}

    def get_initial(self):
        part = self.get_part()
        fields = ("held_on", "sessions", "people_served", "volunteers", "materials", "note", "version")
        return {"activity": part.activity_id, **{field: getattr(part, field) for field in fields}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.get_part().action
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        return actions.do_edit_joint_part(
            by=self.request.user, part_id=self.get_part().pk, expected_version=version, **data
        )

    def get_success_url(self):
        return self.get_part().action.get_absolute_url()


class JointActivityMixin(GroupFormPage):
    """The lead organisation or the hub changes a sub-activity (other partners 403, another network's
    nothing: the action is shared). Once parts are logged against it the page says why it is fixed."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and (user.is_hub or user.is_partner)
            and not actions.can_invite(user, self.get_activity().action)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_activity(self):
        if not hasattr(self, "_activity"):
            actions_seen = JointAction.objects.for_user(self.request.user)
            self._activity = get_object_or_404(
                JointActivity.objects.filter(action__in=actions_seen)
                .select_related("action")
                .annotate(logged=Count("parts")),
                pk=self.kwargs["pk"],
            )
        return self._activity

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.get_activity()
        context["subtitle"] = f"{activity.action} · {activity}"
        if activity.logged:
            context["notice"] = gettext_lazy(
                "Parts are already logged against this sub-activity, so it can no longer be changed "
                "or deleted: the organisations reported their work under this name."
            )
            context["hide_form"] = True
        return context

    def get_initial(self):
        activity = self.get_activity()
        return {"title": activity.title, "version": activity.version}

    def get_cancel_url(self):
        return self.get_activity().action.get_absolute_url()

    def get_success_url(self):
        return self.get_activity().action.get_absolute_url()


class JointActivityEditView(PartnerOrHubMixin, JointActivityMixin, ActionFormView):
    form_class = forms.ActivityForm
    page_title = gettext_lazy("Rename the sub-activity")
    success_message = gettext_lazy("Sub-activity saved.")

    def perform(self, form):
        return actions.do_edit_joint_activity(
            by=self.request.user,
            activity_id=self.get_activity().pk,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
        )


class JointActivityDeleteView(PartnerOrHubMixin, JointActivityMixin, ActionFormView):
    form_class = forms.ConfirmForm
    page_title = gettext_lazy("Delete the sub-activity")
    submit_label = pgettext_lazy("button", "Delete")
    success_message = gettext_lazy("Sub-activity deleted.")

    def perform(self, form):
        return actions.do_delete_joint_activity(
            by=self.request.user,
            activity_id=self.get_activity().pk,
            expected_version=form.cleaned_data["version"],
        )
