from django.contrib import admin

from lowdose.web.courses.models import Course, DoseChange, Medication, Patient, PatientCondition


class ConditionInline(admin.TabularInline):
    model = PatientCondition
    extra = 0


class MedicationInline(admin.TabularInline):
    model = Medication
    extra = 0


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ("__str__", "record_number", "clinic", "date_of_birth", "sex")
    list_filter = ("clinic", "sex")
    search_fields = ("user__first_name", "user__last_name", "record_number")
    inlines = [ConditionInline, MedicationInline]
    raw_id_fields = ("user",)


class DoseChangeInline(admin.TabularInline):
    model = DoseChange
    extra = 0
    raw_id_fields = ("created_by",)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = (
        "patient",
        "prescriber",
        "baseline_start",
        "start_date",
        "maintenance_start",
        "stopped_on",
    )
    raw_id_fields = ("patient", "prescriber")
    inlines = [DoseChangeInline]
