from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "lowdose.web.safety"
    label = "safety"
    verbose_name = "Medication screening, overrides, holds and titration plans"
