from django.urls import path

from lowdose.web.safety import plan_views, views

app_name = "safety"
urlpatterns = [
    path("patients/<int:pk>/safety/", views.safety_page, name="safety"),
    path("patients/<int:pk>/medications/", views.add_medication, name="add_medication"),
    path(
        "patients/<int:pk>/medications/<int:medication_id>/stop/",
        views.stop_medication,
        name="stop_medication",
    ),
    path("patients/<int:pk>/override/", views.record_override, name="override"),
    path("patients/<int:pk>/holds/", views.add_event, name="add_event"),
    path("patients/<int:pk>/holds/<int:event_id>/delete/", views.delete_event, name="delete_event"),
    path("patients/<int:pk>/start/", plan_views.start, name="start"),
    path("patients/<int:pk>/start/preview/", plan_views.preview, name="preview"),
    path("patients/<int:pk>/plan/", plan_views.plan, name="plan"),
    path("patients/<int:pk>/plan/revise/", plan_views.revise, name="revise"),
    path("me/plan.ics", plan_views.calendar, name="calendar"),
]
