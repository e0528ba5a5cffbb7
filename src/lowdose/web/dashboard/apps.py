from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "lowdose.web.dashboard"
    label = "dashboard"
    verbose_name = "Clinician dashboard"
