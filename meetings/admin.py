from collections import Counter

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from common.admin_display import short_date_column
from common.translation_admin import MissingTranslationsMixin, missing_translations_filter

from .models import Document, Meeting, MeetingLink, Officer


class OfficerInlineFormSet(BaseInlineFormSet):
    """Rows submitted together are not checked against each other by the conditional unique constraint."""

    def clean(self):
        super().clean()
        current = Counter(
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") in Officer.PRESIDING_ROLES
            and form.cleaned_data.get("until") is None
        )
        for role, count in current.items():
            if count > 1:
                raise ValidationError(
                    gettext("A meeting has only one current %(role)s; give the others an end date (until).")
                    % {"role": Officer.Role(role).label}
                )


class OfficerInline(admin.TabularInline):
    model = Officer
    formset = OfficerInlineFormSet
    extra = 0
    autocomplete_fields = ["state", "organisation"]
    fields = ["role", "state", "organisation", "person_name", "person_title", "thematic_area", "since", "until"]


class DocumentInline(TranslationTabularInline):
    model = Document
    extra = 0
    fields = ["symbol", "title", "kind", "language", "issued_on", "file"]


class LinkInline(admin.TabularInline):
    model = MeetingLink
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(MissingTranslationsMixin, TranslationAdmin):
    translated_field = "title"
    # Newest first, like the note form's meeting picker; also gives the autocomplete a stable order.
    ordering = ["-start_date", "-start_time", "title"]
    list_display = [
        "title",
        "short_code",
        "treaty",
        "kind",
        "opens",
        "closes",
        "city",
        "status",
        "deadline",
        "document_count",
        "translations_missing",
    ]
    opens = short_date_column("start_date", _("Opens"))
    closes = short_date_column("end_date", _("Closes"))
    deadline = short_date_column("registration_deadline", _("Registration deadline"))
    list_filter = ["treaty", "kind", "status", "format", "start_date", missing_translations_filter("title")]
    search_fields = [
        "title_en",
        "title_fr",
        "title_es",
        "title_ar",
        "title_ru",
        "title_zh_hans",
        "slug",
        "city",
        "venue",
        "host_state__name_en",
    ]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_state", "country", "supporting_organisations", "preparatory_for"]
    list_select_related = ["treaty"]
    inlines = [OfficerInline, DocumentInline, LinkInline]
    fieldsets = [
        (
            None,
            {"fields": ["treaty", "kind", "number", "title_en", "slug", "status", "preparatory_for", "description"]},
        ),
        (
            _("Title in other languages"),
            {
                "fields": ["title_fr", "title_es", "title_ar", "title_ru", "title_zh_hans"],
                "description": _(
                    "The official titles, used in notes and pages in each language. Empty: the English title stands in."
                ),
            },
        ),
        (_("When"), {"fields": [("start_date", "end_date", "start_time"), "dates_note"]}),
        (_("Where"), {"fields": ["format", ("city", "country"), "venue", "venue_address", "room"]}),
        (_("Hosting"), {"fields": ["host_state", "supporting_organisations"]}),
        (
            _("Registration and deadlines"),
            {
                "fields": [
                    ("registration_opens", "registration_deadline"),
                    "registration_deadline_reason",
                    "delegation_details_deadline",
                    ("rsvp_contact", "rsvp_email", "rsvp_by"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_total=Count("documents"))

    @admin.display(description=_("Short code"))
    def short_code(self, obj: Meeting) -> str:
        return obj.short_code

    @admin.display(description=_("Documents"), ordering="document_total")
    def document_count(self, obj: Meeting) -> int:
        return obj.document_total


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["meeting", "role", "state", "person_name", "thematic_area", "from_", "to"]
    from_ = short_date_column("since", _("Since"))
    to = short_date_column("until", _("Until"))
    list_filter = ["role", "meeting__treaty"]
    search_fields = ["person_name", "state__name_en", "meeting__title", "thematic_area"]
    autocomplete_fields = ["meeting", "state", "organisation"]
    list_select_related = ["meeting", "state"]


@admin.register(Document)
class DocumentAdmin(MissingTranslationsMixin, TranslationAdmin):
    translated_field = "title"
    list_display = ["symbol", "title", "kind", "language", "meeting", "issued", "translations_missing"]
    issued = short_date_column("issued_on", _("Issued"))
    list_filter = ["kind", "language", "meeting__treaty", missing_translations_filter("title")]
    search_fields = ["symbol", "title_en", "meeting__title_en"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
