from django.contrib import admin

from lowdose.web.safety.models import Override, Plan, PlannedEvent, PlanRevision, Screening


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ("patient", "created_at", "verdict", "created_by")
    list_filter = ("verdict",)
    raw_id_fields = ("patient", "created_by")
    readonly_fields = ("medications", "findings", "unknown")


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ("patient", "created_at", "created_by")
    raw_id_fields = ("patient", "screening", "created_by")


@admin.register(PlannedEvent)
class PlannedEventAdmin(admin.ModelAdmin):
    list_display = ("patient", "kind", "event_on", "exposure")
    raw_id_fields = ("patient", "created_by")


class RevisionInline(admin.TabularInline):
    model = PlanRevision
    extra = 0
    raw_id_fields = ("created_by",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("course", "start_mg", "step_mg", "interval_days", "target_mg", "form")
    raw_id_fields = ("course", "created_by")
    inlines = [RevisionInline]
