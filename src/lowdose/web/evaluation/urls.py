from django.urls import path

from lowdose.web.evaluation import trial_views, views

app_name = "evaluation"

urlpatterns = [
    path("me/is-it-working/", views.mine, name="mine"),
    path("me/is-it-working/<slug:outcome>.svg", views.my_chart, name="my_chart"),
    path("me/is-it-working/trial/<slug:outcome>.svg", views.my_trial_chart, name="my_trial_chart"),
    path("patients/<int:pk>/evaluation/", views.patient, name="patient"),
    path("patients/<int:pk>/trial/<slug:outcome>.svg", views.trial_chart, name="trial_chart"),
    path("patients/<int:pk>/evaluation/<slug:outcome>.svg", views.patient_chart, name="chart"),
    path(
        "patients/<int:pk>/evaluation/main-outcome/",
        views.set_main_outcome,
        name="set_main_outcome",
    ),
    path("pharmacy/trials/", trial_views.pharmacy_trials, name="pharmacy_trials"),
    path("patients/<int:pk>/trial/", trial_views.pharmacy_trial, name="pharmacy_trial"),
    path("patients/<int:pk>/trial/packs/", trial_views.dispense_pack, name="dispense_pack"),
    path(
        "patients/<int:pk>/trial/packs/<int:period>/label/",
        trial_views.pack_label,
        name="pack_label",
    ),
    path(
        "patients/<int:pk>/trial/emergency-unblinding/",
        trial_views.emergency_unblind,
        name="emergency_unblind",
    ),
    path("patients/<int:pk>/trial/unblind/", trial_views.unblind, name="unblind"),
]
