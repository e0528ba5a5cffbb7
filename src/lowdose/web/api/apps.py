from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lowdose.web.api"
    label = "api"
    verbose_name = "JSON API"
