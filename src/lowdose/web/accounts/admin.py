from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "patient_id", "ip")
    list_filter = ("action", "object_type")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
