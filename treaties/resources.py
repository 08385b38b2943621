"""Import/export of the registry (django-import-export), shared by the admin and the commands."""

from import_export import fields, resources, widgets

from common.tabular import KeyCheckingResource, LookupCheckingResource, LowercaseChoiceWidget

from .models import Organisation, Participation, PermanentMission, State, Treaty


class EmailListWidget(widgets.Widget):
    """Several addresses in one cell, separated by semicolons or new lines."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return ""
        parts = str(value).replace(";", "\n").replace(",", "\n").splitlines()
        return "\n".join(part.strip() for part in parts if part.strip())

    def render(self, value, obj=None, **kwargs):
        return "; ".join(line.strip() for line in (value or "").splitlines() if line.strip())


class ArticleWidget(LowercaseChoiceWidget):
    """A spreadsheet may have turned the apostrophe of “l'” into a typographic one."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs).replace("\u2019", "'")


class DateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class TranslationWidget(widgets.CharWidget):
    """A translated name (modeltranslation): an empty cell is a missing translation, NULL, as the admin saves it,
    so that re-importing an exported file finds the row unchanged."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None

    def render(self, value, obj=None, **kwargs):
        return value or ""


def _translated_name(column: str, attribute: str | None = None) -> fields.Field:
    return fields.Field(attribute=attribute or column, column_name=column, widget=TranslationWidget())


class StateResource(KeyCheckingResource):
    # Files written before the Spanish names existed lack the columns after un_status, files written before the
    # Arabic, Russian and Chinese names the last three; a missing column is skipped, so new rows get none and
    # existing rows keep theirs.
    article_fr = fields.Field(attribute="article_fr", column_name="article_fr", widget=ArticleWidget())
    article_es = fields.Field(attribute="article_es", column_name="article_es", widget=ArticleWidget())
    # Files name languages by their content code ("zh"); the field is modeltranslation's name_zh_hans.
    name_fr = _translated_name("name_fr")
    name_es = _translated_name("name_es")
    name_ar = _translated_name("name_ar")
    name_ru = _translated_name("name_ru")
    name_zh = _translated_name("name_zh", "name_zh_hans")

    class Meta:
        model = State
        fields = [
            "iso2",
            "iso3",
            "iso_numeric",
            "name_en",
            "name_fr",
            "un_status",
            "name_es",
            "article_fr",
            "article_es",
            "name_ar",
            "name_ru",
            "name_zh",
        ]
        import_id_fields = ["iso3"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class OrganisationResource(LookupCheckingResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Organisation, field="name")
    )
    observer_by_right = fields.Field(
        attribute="observer_by_right",
        column_name="observer_by_right",
        widget=widgets.ManyToManyWidget(Treaty, field="code", separator=";"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "parent", "city", "email", "website", "observer_by_right"]
        import_id_fields = ["name"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class PermanentMissionResource(LookupCheckingResource):
    state = fields.Field(attribute="state", column_name="state_iso3", widget=widgets.ForeignKeyWidget(State, "iso3"))
    emails = fields.Field(attribute="emails", column_name="emails", widget=EmailListWidget())
    # TextField gets a pass-through widget, so an empty XLSX cell (None) would hit NOT NULL.
    address = fields.Field(attribute="address", column_name="address", widget=widgets.CharWidget())

    class Meta:
        model = PermanentMission
        fields = ["state", "city", "name", "address", "phone", "emails"]
        import_id_fields = ["state", "city"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("state")


class ParticipationResource(LookupCheckingResource):
    treaty = fields.Field(attribute="treaty", column_name="treaty", widget=widgets.ForeignKeyWidget(Treaty, "code"))
    state = fields.Field(attribute="state", column_name="state_iso3", widget=widgets.ForeignKeyWidget(State, "iso3"))
    state_name = fields.Field(column_name="state_name", readonly=True)
    signature_date = fields.Field(attribute="signature_date", column_name="signature_date", widget=DateWidget())
    deposit_date = fields.Field(attribute="deposit_date", column_name="deposit_date", widget=DateWidget())
    instrument = fields.Field(attribute="instrument", column_name="instrument", widget=LowercaseChoiceWidget())
    withdrawal_notice_date = fields.Field(
        attribute="withdrawal_notice_date", column_name="withdrawal_notice_date", widget=DateWidget()
    )
    entry_into_force_override = fields.Field(
        attribute="entry_into_force_override", column_name="entry_into_force_override", widget=DateWidget()
    )
    initial_report_due_override = fields.Field(
        attribute="initial_report_due_override", column_name="initial_report_due_override", widget=DateWidget()
    )
    withdrawal_effective_override = fields.Field(
        attribute="withdrawal_effective_override", column_name="withdrawal_effective_override", widget=DateWidget()
    )
    notes = fields.Field(attribute="notes", column_name="notes", widget=widgets.CharWidget())
    # Computed columns, exported for the reader and ignored on import.
    entry_into_force = fields.Field(column_name="entry_into_force", readonly=True)
    initial_report_due = fields.Field(column_name="initial_report_due", readonly=True)
    withdrawal_effective = fields.Field(column_name="withdrawal_effective", readonly=True)
    status = fields.Field(column_name="status", readonly=True)

    class Meta:
        model = Participation
        fields = [
            "treaty",
            "state",
            "state_name",
            "signature_date",
            "deposit_date",
            "instrument",
            "provisional_application",
            "withdrawal_notice_date",
            "entry_into_force_override",
            "initial_report_due_override",
            "withdrawal_effective_override",
            "notes",
            "entry_into_force",
            "initial_report_due",
            "withdrawal_effective",
            "status",
        ]
        import_id_fields = ["treaty", "state"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("treaty", "state")

    @staticmethod
    def _iso(value) -> str:
        return value.isoformat() if value else ""

    def dehydrate_state_name(self, obj: Participation) -> str:
        return obj.state.name_en

    def dehydrate_entry_into_force(self, obj: Participation) -> str:
        return self._iso(obj.entry_into_force)

    def dehydrate_initial_report_due(self, obj: Participation) -> str:
        return self._iso(obj.initial_report_due)

    def dehydrate_withdrawal_effective(self, obj: Participation) -> str:
        return self._iso(obj.withdrawal_effective)

    def dehydrate_status(self, obj: Participation) -> str:
        return obj.current_status.value


RESOURCES: dict[str, type[resources.ModelResource]] = {
    "states": StateResource,
    "organisations": OrganisationResource,
    "missions": PermanentMissionResource,
    "participations": ParticipationResource,
}
