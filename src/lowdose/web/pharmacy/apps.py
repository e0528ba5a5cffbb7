from django.apps import AppConfig


class PharmacyConfig(AppConfig):
    name = "lowdose.web.pharmacy"
    label = "pharmacy"
    verbose_name = "Compounding and dispensing"
