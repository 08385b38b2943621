from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin_display import long_date, short_date, short_date_column
from treaties.admin import RegistryAdmin

from .models import (
    AssessmentRate,
    MeetingCost,
    ReminderLanguage,
    ReminderSent,
    ReminderStage,
    ReminderWording,
    ReportSubmission,
)
from .resources import AssessmentRateResource
from .selectors import ObligationRow, annual_reminder_days, reminders_planned, submission_obligation


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin):
    list_display = ["state", "treaty", "kind", "year_covered", "received", "language", "has_file"]
    received = short_date_column("received_on", _("Received"))
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

    @admin.display(description=_("Due date (computed)"))
    def due_date(self, obj: ReportSubmission):
        row = self._obligation(obj)
        return long_date(row.due if row else None)

    @admin.display(description=_("Status today (computed)"))
    def status_today(self, obj: ReportSubmission) -> str:
        if not obj.pk:
            return "—"
        row = self._obligation(obj)
        return row.status.label if row else gettext("Voluntary: no such report is owed under the treaty")

    @admin.display(description=_("PDF"), boolean=True)
    def has_file(self, obj: ReportSubmission) -> bool:
        return bool(obj.file)


@admin.register(AssessmentRate)
class AssessmentRateAdmin(RegistryAdmin):  # the registry's strict CSV and row-by-row errors
    resource_classes = [AssessmentRateResource]
    list_display = ["state", "first_year", "last_year", "rate", "source", "reference"]
    list_filter = ["source", "first_year", "last_year", "reference"]
    search_fields = ["state__name_en", "state__iso3", "reference"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]


@admin.register(MeetingCost)
class MeetingCostAdmin(admin.ModelAdmin):
    list_display = ["meeting", "treaty", "start_date", "total", "currency", "shares"]
    list_filter = ["meeting__treaty", "currency"]
    search_fields = ["meeting__title", "meeting__slug", "notes"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__treaty"]

    @admin.display(description=_("Treaty"), ordering="meeting__treaty__code")
    def treaty(self, obj: MeetingCost):
        return obj.meeting.treaty

    @admin.display(description=_("Opens"), ordering="meeting__start_date")
    def start_date(self, obj: MeetingCost):
        return short_date(obj.meeting.start_date)

    @admin.display(description="")
    def shares(self, obj: MeetingCost):
        return format_html(
            '<a href="{}">{}</a>', reverse("obligations:cost_shares", args=[obj.meeting.slug]), gettext("Cost shares")
        )


class DryRunForm(forms.Form):
    date = forms.DateField(widget=AdminDateWidget, label=_("Date"))


class ReminderWordingInline(admin.StackedInline):
    """The stage's wording in the other languages; a language left out takes the standard wording."""

    model = ReminderWording
    extra = 0


@admin.register(ReminderStage)
class ReminderStageAdmin(admin.ModelAdmin):
    """Stages can be switched off from the list; “Dry run” shows what would go out today."""

    inlines = [ReminderWordingInline]
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
            raise PermissionDenied
        today = timezone.localdate()
        form = DryRunForm(request.GET if "date" in request.GET else None, initial={"date": today})
        at = today
        if form.is_bound:
            if form.is_valid():
                at = form.cleaned_data["date"]
            else:
                messages.error(
                    request,
                    # Translators: give the examples in forms this language's date field accepts.
                    gettext("Give the date as 2026-12-03 or 3 December 2026; today is shown."),
                )
        planned = reminders_planned(at=at, include_disabled=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Reminders that would be sent on %(date)s") % {"date": date_format(at, "DATE_FORMAT")},
            "planned": planned,
            "at": at,
            "form": form,
            "media": self.media + form.media,
            "next_days": annual_reminder_days(after=today),
        }
        return TemplateResponse(request, "admin/obligations/reminderstage/dry_run.html", context)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["state", "treaty", "kind", "year_covered", "stage", "note", "sent"]
    sent = short_date_column("sent_at", _("Sent"))
    list_filter = ["stage", "treaty", "kind"]
    search_fields = ["state__name_en", "note__reference"]
    list_select_related = ["state", "treaty", "stage", "note"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReminderLanguage)
class ReminderLanguageAdmin(admin.ModelAdmin):
    """States that asked for their Article 7 reminders in a given language."""

    list_display = ["state", "language"]
    list_filter = ["language"]
    search_fields = ["state__name_en", "state__iso3"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]
