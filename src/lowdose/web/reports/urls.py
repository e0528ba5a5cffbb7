from django.urls import path

from lowdose.web.reports import views

app_name = "reports"
urlpatterns = [
    path("me/card.pdf", views.my_card, name="my_card"),
    path("patients/<int:pk>/card.pdf", views.patient_card, name="patient_card"),
    path("patients/<int:pk>/surgery-letter.pdf", views.surgery_letter, name="surgery_letter"),
    path("patients/<int:pk>/report/", views.course_report, name="course_report"),
    path("patients/<int:pk>/report.pdf", views.course_report_pdf, name="course_report_pdf"),
    path("evidence/", views.evidence_index, name="evidence_index"),
    path("evidence/<slug:condition>/", views.evidence_condition, name="evidence_condition"),
]
