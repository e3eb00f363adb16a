from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("mine/", views.MyMeetingsView.as_view(), name="mine"),
    path("new/", views.MeetingFormView.as_view(), name="meeting_create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path("<int:pk>/status/", views.MeetingStatusView.as_view(), name="meeting_status"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("<int:pk>/rsvp/", views.RsvpView.as_view(), name="rsvp"),
    path("<int:pk>/topic/", views.TopicProposalView.as_view(), name="topic"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/diagnosis/", views.DiagnosisView.as_view(), name="diagnosis"),
    path("<int:pk>/actions/new/", views.ActionItemCreateView.as_view(), name="action_create"),
    path("actions/", views.ActionItemListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", views.ActionItemUpdateView.as_view(), name="action_update"),
    path("rotation/", views.RotationView.as_view(), name="rotation"),
    path("rotation/skip/", views.RotationSkipView.as_view(), name="rotation_skip"),
    path("supervision/<int:pk>/", views.SupervisionHistoryView.as_view(), name="supervision_history"),
    path("attendance/", views.AttendanceRatesView.as_view(), name="attendance_rates"),
    path("coverage/", views.MeetingChecksView.as_view(), name="coverage"),
    path("planner/", views.PlannerView.as_view(), name="planner"),
    path("planner/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("planner/<int:pk>/adjust/", views.PlanAdjustView.as_view(), name="plan_adjust"),
    path("planner/<int:pk>/confirm/", views.PlanConfirmView.as_view(), name="plan_confirm"),
    path("holidays/", views.HolidayListView.as_view(), name="holidays"),
    path("holidays/notice/", views.HolidayNoticeView.as_view(), name="holiday_notice"),
    path("holidays/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("feed/", views.FeedSettingsView.as_view(), name="feed_settings"),
    path("feed/<str:token>.ics", views.CalendarFeedView.as_view(), name="feed"),
]
