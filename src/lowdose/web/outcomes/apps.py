from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Questionnaires, stand tests, side-effect guidance and clinician alerts."""

    name = "lowdose.web.outcomes"
    label = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lowdose.web.outcomes import signals  # noqa: F401  (connects the receivers)
