from django.urls import path

from . import growth_views, views, wecom_views

app_name = "partners"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("<int:pk>/status/", views.OrganisationStatusView.as_view(), name="organisation_status"),
    path("<int:pk>/wecom/", wecom_views.OrganisationWeComView.as_view(), name="organisation_wecom"),
    path(
        "<int:pk>/wecom/test/",
        wecom_views.OrganisationWeComTestView.as_view(),
        name="organisation_wecom_test",
    ),
    path("<int:pk>/awards/new/", views.AwardCreateView.as_view(), name="award_create"),
    path("awards/<int:pk>/edit/", views.AwardEditView.as_view(), name="award_edit"),
    path(
        "<int:pk>/expansion-plans/new/", views.ExpansionPlanCreateView.as_view(), name="expansion_plan_create"
    ),
    path("expansion-plans/<int:pk>/edit/", views.ExpansionPlanEditView.as_view(), name="expansion_plan_edit"),
    path("<int:pk>/experience/new/", views.ExperienceCreateView.as_view(), name="experience_create"),
    path("experience/<int:pk>/edit/", views.ExperienceEditView.as_view(), name="experience_edit"),
    path("experience/<int:pk>/endorse/", views.ExperienceEndorseView.as_view(), name="experience_endorse"),
    path("<int:pk>/stage/", growth_views.OrganisationStageView.as_view(), name="organisation_stage"),
    path("<int:pk>/growth/", growth_views.OrganisationTimelineView.as_view(), name="organisation_timeline"),
    path("<int:pk>/cycles/new/", growth_views.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<int:pk>/", growth_views.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", growth_views.CycleEditView.as_view(), name="cycle_edit"),
    path("cycles/<int:pk>/goals/new/", growth_views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/edit/", growth_views.GoalEditView.as_view(), name="goal_edit"),
    path("cycles/<int:pk>/graduation/", growth_views.GraduationView.as_view(), name="cycle_graduation"),
    path("needs/<int:year>/", growth_views.NeedsFillView.as_view(), name="needs_fill"),
    path("needs/<int:year>/network/", growth_views.NeedsNetworkView.as_view(), name="needs_network"),
    path("needs/answers/<int:pk>/", growth_views.NeedsDetailView.as_view(), name="needs_detail"),
    path("centres/", views.CentreListView.as_view(), name="centre_list"),
    path("centres/new/", views.CentreCreateView.as_view(), name="centre_create"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre_detail"),
    path("centres/<int:pk>/edit/", views.CentreEditView.as_view(), name="centre_edit"),
    path("centres/<int:pk>/assess/", views.CentreAssessView.as_view(), name="centre_assess"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/invite/", views.PersonInviteView.as_view(), name="person_invite"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/deactivate/", views.PersonDeactivateView.as_view(), name="person_deactivate"),
    path(
        "people/<int:pk>/resend-invitation/",
        views.PersonResendInvitationView.as_view(),
        name="person_resend_invitation",
    ),
]
