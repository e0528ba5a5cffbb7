from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "lowdose.web.diary"
    label = "diary"
    verbose_name = "Daily diary"
