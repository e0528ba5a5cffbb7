import csv

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponse

from lowdose.web.accounts.models import AuditEvent, Clinic, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "timezone")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(User)
class LowdoseUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "clinic", "is_active")
    list_filter = ("role", "clinic", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Clinic and role", {"fields": ("role", "clinic")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Clinic and role", {"fields": ("role", "clinic")}))


AUDIT_COLUMNS = ("at", "actor", "action", "object_type", "object_id", "patient_id", "ip", "path")


@admin.action(description="Export the selected events as CSV")
def export_csv(modeladmin, request, queryset) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="lowdose-audit.csv"'
    writer = csv.writer(response)
    writer.writerow(AUDIT_COLUMNS)
    for event in queryset.select_related("actor").order_by("at").iterator():
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor.username if event.actor else "",
                event.action,
                event.object_type,
                event.object_id,
                event.patient_id or "",
                event.ip or "",
                event.path,
            ]
        )
    # Exporting the trail is itself recorded.
    AuditEvent.objects.create(
        actor=request.user,
        action="view",
        object_type="accounts.auditevent",
        ip=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:300],
    )
    return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "patient_id", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor__username", "object_id", "path")
    date_hierarchy = "at"
    actions = [export_csv]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
