"""Meetings pages, one module per area; ``urls.py`` takes the views from here.

Every object a partner can reach comes through a ``for_user`` queryset (404 else).
"""

from .calendar import CalendarFeedView, CalendarView, FeedSettingsView, MeetingListView, MyMeetingsView
from .holidays import HolidayDeleteView, HolidayListView, HolidayNoticeView
from .meeting import (
    MeetingDetailView,
    MeetingFormView,
    MeetingIcsView,
    MeetingStatusView,
    RsvpView,
    TopicProposalView,
)
from .planner import PlanAdjustView, PlanConfirmView, PlanDetailView, PlannerView
from .records import (
    ActionItemCreateView,
    ActionItemListView,
    ActionItemUpdateView,
    AttendanceView,
    DiagnosisView,
    MinutesView,
)
from .supervision import (
    AttendanceRatesView,
    MeetingChecksView,
    RotationSkipView,
    RotationView,
    SupervisionHistoryView,
    attendance_rates,
)

__all__ = [
    "ActionItemCreateView",
    "ActionItemListView",
    "ActionItemUpdateView",
    "AttendanceRatesView",
    "AttendanceView",
    "CalendarFeedView",
    "CalendarView",
    "MeetingChecksView",
    "DiagnosisView",
    "FeedSettingsView",
    "HolidayDeleteView",
    "HolidayListView",
    "HolidayNoticeView",
    "MeetingDetailView",
    "MeetingFormView",
    "MeetingIcsView",
    "MeetingListView",
    "MeetingStatusView",
    "MinutesView",
    "MyMeetingsView",
    "PlanAdjustView",
    "PlanConfirmView",
    "PlanDetailView",
    "PlannerView",
    "RotationSkipView",
    "RotationView",
    "RsvpView",
    "SupervisionHistoryView",
    "TopicProposalView",
    "attendance_rates",
]
