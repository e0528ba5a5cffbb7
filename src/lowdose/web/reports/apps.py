from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lowdose.web.reports"
    label = "reports"
    verbose_name = "Reports, cards, letters and the evidence library"
