from django.contrib import admin

from lowdose.web.pharmacy.models import Batch


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("lot", "plan", "form", "quantity", "prepared_on", "beyond_use")
    search_fields = ("lot",)
    raw_id_fields = ("plan", "dispensed_by")
