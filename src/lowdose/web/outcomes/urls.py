from django.urls import path

from lowdose.web.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("me/questionnaires/", views.my_questionnaires, name="my_questionnaires"),
    path("me/questionnaires/answers/<int:pk>/", views.my_response, name="my_response"),
    path(
        "me/questionnaires/<slug:instrument_id>/",
        views.fill_questionnaire,
        name="fill_questionnaire",
    ),
    path("me/stand-tests/", views.my_stand_tests, name="my_stand_tests"),
    path("me/stand-tests/new/", views.new_stand_test, name="new_stand_test"),
    path("me/stand-tests/<int:pk>/", views.my_stand_test, name="my_stand_test"),
    path("me/checkins/<int:pk>/guidance/", views.checkin_guidance, name="checkin_guidance"),
    path(
        "patients/<int:pk>/questionnaires/",
        views.patient_questionnaires,
        name="patient_questionnaires",
    ),
    path(
        "patients/<int:pk>/questionnaires/schedule/",
        views.edit_schedule,
        name="edit_schedule",
    ),
    path("patients/<int:pk>/stand-tests/", views.patient_stand_tests, name="patient_stand_tests"),
    path(
        "patients/<int:pk>/stand-tests/chart.svg",
        views.stand_test_chart,
        name="stand_test_chart",
    ),
    path(
        "patients/<int:pk>/stand-tests/<int:test_pk>/",
        views.patient_stand_test,
        name="patient_stand_test",
    ),
    path(
        "patients/<int:pk>/alerts/<int:alert_pk>/acknowledge/",
        views.acknowledge_alert,
        name="acknowledge_alert",
    ),
]
