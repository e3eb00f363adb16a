from django.urls import path

from . import views

app_name = "mutualaid"

urlpatterns = [
    path("", views.GroupView.as_view(), name="group"),
    path("eligibility/", views.OverviewView.as_view(), name="overview"),
    path("eligibility/mine/", views.MyChecklistView.as_view(), name="my_checklist"),
    path("eligibility/<int:pk>/", views.ChecklistView.as_view(), name="checklist"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("reviews/", views.RoundListView.as_view(), name="round_list"),
    path("reviews/run/", views.RunReviewView.as_view(), name="round_run"),
    path("reviews/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("reviews/results/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("members/<int:pk>/end/", views.EndMembershipView.as_view(), name="membership_end"),
    path("funding/", views.ApplicationListView.as_view(), name="application_list"),
    path("funding/new/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("funding/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("funding/<int:pk>/review/", views.ApplicationReviewView.as_view(), name="application_review"),
    path("funding/<int:pk>/withdraw/", views.ApplicationWithdrawView.as_view(), name="application_withdraw"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/decide/", views.VisitDecideView.as_view(), name="visit_decide"),
    path("visits/<int:pk>/claim/", views.VisitClaimView.as_view(), name="visit_claim"),
    path("visits/<int:pk>/check/", views.VisitCheckView.as_view(), name="visit_check"),
    path("coaching/", views.SessionListView.as_view(), name="session_list"),
    path("coaching/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("coaching/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("coaching/wait/", views.WaitingListJoinView.as_view(), name="waiting_list_join"),
    path("mentors/", views.MentorListView.as_view(), name="mentor_list"),
    path("mentors/offer/", views.MentorOfferView.as_view(), name="mentor_offer"),
    path("mentors/<int:pk>/", views.MentorDetailView.as_view(), name="mentor_detail"),
    path("mentors/<int:pk>/review/", views.MentorReviewView.as_view(), name="mentor_review"),
    path("mentors/<int:pk>/request/", views.MentorRequestCreateView.as_view(), name="mentor_request"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/request/", views.ActivityRequestCreateView.as_view(), name="activity_request"),
    path("help/", views.HelpRequestListView.as_view(), name="help_requests"),
    path("help/hours/", views.HoursView.as_view(), name="hours"),
    path("help/mentoring/<int:pk>/", views.MentorRequestDetailView.as_view(), name="mentor_request_detail"),
    path(
        "help/mentoring/<int:pk>/answer/",
        views.MentorRequestAnswerView.as_view(),
        name="mentor_request_answer",
    ),
    path("help/mentoring/<int:pk>/log/", views.MentorHoursView.as_view(), name="mentor_request_log"),
    path(
        "help/activities/<int:pk>/", views.ActivityRequestDetailView.as_view(), name="activity_request_detail"
    ),
    path(
        "help/activities/<int:pk>/answer/",
        views.ActivityRequestAnswerView.as_view(),
        name="activity_request_answer",
    ),
    path(
        "help/activities/<int:pk>/deliver/",
        views.ActivityDeliveryView.as_view(),
        name="activity_request_deliver",
    ),
]
