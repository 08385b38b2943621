from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from modeltranslation.admin import TranslationAdmin

from common.admin_display import long_date, short_date_column
from common.tabular import CheckedCSV, RegistryImportError
from common.translation_admin import MissingTranslationsMixin, missing_translations_filter

from .models import Organisation, Participation, PermanentMission, State, Treaty
from .resources import OrganisationResource, ParticipationResource, PermanentMissionResource, StateResource
from .rules import Status
from .selectors import participation_ids_with_status


class RegistryAdmin(ImportExportModelAdmin):
    formats = [CheckedCSV, XLSX]

    def add_data_read_fail_error_to_form(self, form, e):
        # django-import-export names only the exception's type; say what is wrong, and where.
        if isinstance(e, RegistryImportError):
            for error in e.errors:
                form.add_error("import_file", f"{str(error)[:1].upper()}{str(error)[1:]}")
            form.add_error("import_file", gettext("Nothing was imported. Correct the file and import it again."))
            return
        super().add_data_read_fail_error_to_form(form, e)


@admin.register(Treaty)
class TreatyAdmin(MissingTranslationsMixin, TranslationAdmin):
    translated_field = "short_name"
    list_display = [
        "code",
        "short_name",
        "instruments_for_entry_into_force",
        "triggering_deposit",
        "in_force",
        "translations_missing",
    ]
    triggering_deposit = short_date_column("triggering_deposit_date", _("Triggering deposit"))
    in_force = short_date_column("entry_into_force", _("Entry into force"))
    search_fields = ["code", "name_en", "short_name_en"]


class MissionInline(admin.StackedInline):
    model = PermanentMission
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["treaty", "signature_date", "deposit_date", "instrument", "withdrawal_notice_date", "entry_into_force"]
    readonly_fields = ["entry_into_force"]

    # A method rather than the model's property, whose heading the admin would derive from its name.
    @admin.display(description=_("Entry into force"))
    def entry_into_force(self, obj: Participation) -> str:
        return long_date(obj.entry_into_force if obj.pk else None)


@admin.register(State)
class StateAdmin(MissingTranslationsMixin, TranslationAdmin, RegistryAdmin):
    resource_classes = [StateResource]
    list_display = ["name_en", "name_fr", "name_es", "iso2", "iso3", "iso_numeric", "un_status", "translations_missing"]
    list_filter = ["un_status", missing_translations_filter("name")]
    search_fields = ["name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh_hans", "iso2", "iso3"]
    fieldsets = [
        (None, {"fields": ["iso2", "iso3", "iso_numeric", "un_status"]}),
        (
            _("UN short names"),
            {
                "fields": [
                    "name_en",
                    ("article_fr", "name_fr"),
                    ("article_es", "name_es"),
                    "name_ar",
                    "name_ru",
                    "name_zh_hans",
                ],
                "description": _(
                    "With the article UNTERM gives each name in a sentence, as in “France (la)”, “Brasil (el)”: "
                    "notes verbales then read “Mission permanente de la France”, “Misión Permanente del Brasil”."
                ),
            },
        ),
    ]
    inlines = [MissionInline, ParticipationInline]


@admin.register(Organisation)
class OrganisationAdmin(RegistryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "acronym", "kind", "parent", "observer_treaties"]
    list_filter = ["kind", "observer_by_right"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["observer_by_right"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").prefetch_related("observer_by_right")

    @admin.display(description=_("Observer by right under"))
    def observer_treaties(self, obj: Organisation) -> str:
        return ", ".join(t.code for t in obj.observer_by_right.all()) or "—"


@admin.register(PermanentMission)
class PermanentMissionAdmin(RegistryAdmin):
    resource_classes = [PermanentMissionResource]
    list_display = ["name", "state", "city", "phone", "email_count"]
    list_filter = ["city"]
    search_fields = ["name", "state__name_en", "state__iso3", "emails"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]

    @admin.display(description=_("E-mails"))
    def email_count(self, obj: PermanentMission) -> int:
        return len(obj.email_list)


class StatusTodayFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in Status]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        ids = participation_ids_with_status(participations=queryset, status=self.value(), at=timezone.localdate())
        return queryset.filter(pk__in=ids)


@admin.register(Participation)
class ParticipationAdmin(RegistryAdmin):
    resource_classes = [ParticipationResource]
    list_display = [
        "state",
        "treaty",
        "signed",
        "deposited",
        "instrument",
        "entry_into_force",
        "initial_report_due",
        "withdrawal_effective",
        "status_today",
    ]
    signed = short_date_column("signature_date", _("Signature"))
    deposited = short_date_column("deposit_date", _("Deposit"))
    list_filter = ["treaty", "instrument", StatusTodayFilter, "provisional_application"]
    search_fields = ["state__name_en", "state__iso3", "notes"]
    autocomplete_fields = ["state"]
    list_select_related = ["state", "treaty"]
    date_hierarchy = "deposit_date"
    readonly_fields = [
        "computed_entry_into_force",
        "computed_initial_report_due",
        "computed_withdrawal_effective",
        "status_today",
    ]
    fieldsets = [
        (None, {"fields": ["treaty", "state", "status_today"]}),
        (_("Instruments"), {"fields": ["signature_date", "deposit_date", "instrument", "provisional_application"]}),
        (
            _("Entry into force and reporting (computed; override only to correct)"),
            {
                "fields": [
                    ("computed_entry_into_force", "entry_into_force_override"),
                    ("computed_initial_report_due", "initial_report_due_override"),
                ]
            },
        ),
        (
            _("Withdrawal"),
            {"fields": ["withdrawal_notice_date", ("computed_withdrawal_effective", "withdrawal_effective_override")]},
        ),
        (None, {"fields": ["notes"]}),
    ]

    @admin.display(description=_("Status today"))
    def status_today(self, obj: Participation) -> str:
        return obj.current_status.label if obj.pk else "—"

    entry_into_force = short_date_column("entry_into_force", _("Entry into force"), sortable=False)
    initial_report_due = short_date_column("initial_report_due", _("Initial report due"), sortable=False)
    withdrawal_effective = short_date_column("withdrawal_effective", _("Withdrawal effective"), sortable=False)

    @admin.display(description=_("Computed entry into force"))
    def computed_entry_into_force(self, obj: Participation):
        return long_date(obj.computed_entry_into_force if obj.pk else None)

    @admin.display(description=_("Computed initial report due"))
    def computed_initial_report_due(self, obj: Participation):
        return long_date(obj.computed_initial_report_due if obj.pk else None)

    @admin.display(description=_("Computed withdrawal effective"))
    def computed_withdrawal_effective(self, obj: Participation):
        return long_date(obj.computed_withdrawal_effective if obj.pk else None)
