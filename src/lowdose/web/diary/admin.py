from django.contrib import admin

from lowdose.web.diary.models import CheckIn


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("patient", "date", "dose_taken", "late", "updated_at")
    list_filter = ("late", "dose_taken")
    date_hierarchy = "date"
    raw_id_fields = ("patient", "course", "entered_by")
