from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "lowdose.web.courses"
    label = "courses"
    verbose_name = "Patients and LDN courses"
