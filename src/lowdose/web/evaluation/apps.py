from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """ "Is it working?": the per-patient evaluation, cached estimates and blinded n-of-1 trials."""

    name = "lowdose.web.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
