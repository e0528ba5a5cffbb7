from django.urls import path

from lowdose.web.pharmacy import views

app_name = "pharmacy"
urlpatterns = [
    path("pharmacy/queue/", views.queue, name="queue"),
    path("pharmacy/plans/<int:plan_id>/", views.worksheet, name="worksheet"),
    path("pharmacy/plans/<int:plan_id>/dispense/", views.dispense, name="dispense"),
    path("pharmacy/batches/<int:batch_id>/label/", views.label, name="label"),
    path("pharmacy/lots/", views.lot, name="lot"),
]
