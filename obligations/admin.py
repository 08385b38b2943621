import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .models import AssessmentRate, MeetingCost, ReminderSent, ReminderStage, ReportSubmission
from .resources import AssessmentRateResource
from .selectors import ObligationRow, reminders_planned, submission_obligation


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin):
    list_display = ["state", "treaty", "kind", "year_covered", "received_on", "language", "has_file"]
    list_filter = ["treaty", "kind", "language", "year_covered"]
    search_fields = ["state__name_en", "state__iso3", "notes"]
    autocomplete_fields = ["state", "treaty"]
    list_select_related = ["state", "treaty"]
    date_hierarchy = "received_on"
    readonly_fields = ["due_date", "status_today"]
    fields = [
        "treaty",
        "state",
        "kind",
        "year_covered",
        "received_on",
        "language",
        "file",
        "notes",
        "due_date",
        "status_today",
    ]

    def _obligation(self, obj: ReportSubmission) -> ObligationRow | None:
        # Both read-only fields need it; compute once per object and request.
        if not obj.pk:
            return None
        if getattr(obj, "_obligation_cache", None) is None:
            obj._obligation_cache = (submission_obligation(submission=obj, at=timezone.localdate()),)
        return obj._obligation_cache[0]

    @admin.display(description="Due date (computed)")
    def due_date(self, obj: ReportSubmission):
        row = self._obligation(obj)
        return row.due if row else "—"

    @admin.display(description="Status today (computed)")
    def status_today(self, obj: ReportSubmission) -> str:
        if not obj.pk:
            return "—"
        row = self._obligation(obj)
        return row.status.label if row else "Voluntary: no such report is owed under the treaty"

    @admin.display(description="PDF", boolean=True)
    def has_file(self, obj: ReportSubmission) -> bool:
        return bool(obj.file)


@admin.register(AssessmentRate)
class AssessmentRateAdmin(ImportExportModelAdmin):
    resource_classes = [AssessmentRateResource]
    formats = [CSV, XLSX]
    list_display = ["state", "first_year", "last_year", "rate", "source", "reference"]
    list_filter = ["source", "first_year", "last_year", "reference"]
    search_fields = ["state__name_en", "state__iso3", "reference"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]


@admin.register(MeetingCost)
class MeetingCostAdmin(admin.ModelAdmin):
    list_display = ["meeting", "treaty", "start_date", "total", "currency"]
    list_filter = ["meeting__treaty", "currency"]
    search_fields = ["meeting__title", "meeting__slug", "notes"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__treaty"]

    @admin.display(description="Treaty", ordering="meeting__treaty__code")
    def treaty(self, obj: MeetingCost):
        return obj.meeting.treaty

    @admin.display(description="Opens", ordering="meeting__start_date")
    def start_date(self, obj: MeetingCost):
        return obj.meeting.start_date


@admin.register(ReminderStage)
class ReminderStageAdmin(admin.ModelAdmin):
    """Stages can be switched off from the list; “Dry run” shows what would go out today."""

    list_display = ["label", "kind", "days", "applies_to", "office", "enabled"]
    list_editable = ["enabled"]
    list_filter = ["kind", "enabled"]
    autocomplete_fields = ["office", "issued_by", "approved_by"]
    change_list_template = "admin/obligations/reminderstage/change_list.html"

    def get_urls(self):
        return [
            path("dry-run/", self.admin_site.admin_view(self.dry_run_view), name="obligations_reminder_dry_run"),
            *super().get_urls(),
        ]

    def dry_run_view(self, request):
        if not self.has_view_permission(request):
            # admin_view only asks for staff: the stages' own permission decides, as on their list.
            raise PermissionDenied
        at = timezone.localdate()
        if request.GET.get("date"):
            try:
                at = dt.date.fromisoformat(request.GET["date"])
            except ValueError:
                messages.error(request, "Give the date as YYYY-MM-DD.")
        planned = reminders_planned(at=at, include_disabled=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Reminders that would be sent on {at:%d %B %Y}",
            "planned": planned,
            "at": at,
        }
        return TemplateResponse(request, "admin/obligations/reminderstage/dry_run.html", context)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["state", "treaty", "kind", "year_covered", "stage", "note", "sent_at"]
    list_filter = ["stage", "treaty", "kind"]
    search_fields = ["state__name_en", "note__reference"]
    list_select_related = ["state", "treaty", "stage", "note"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]

    def has_add_permission(self, request):
        return False
