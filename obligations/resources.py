"""django-import-export resources: the scale of assessment (import) and the report tables (export)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from common.tabular import LookupCheckingResource, LowercaseChoiceWidget
from treaties.models import State

from .models import AssessmentRate

SCALE_COLUMNS = ["state_iso3", "first_year", "last_year", "rate", "source"]
OPTIONAL_SCALE_COLUMNS = ["reference"]


class YearWidget(widgets.IntegerWidget):
    """A whole calendar year; XLSX cells arrive as 2025 or 2025.0, CSV cells as "2025"."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(gettext("“%(value)s” is not a year.") % {"value": text}) from None
        if number != number.to_integral_value() or not 1000 <= number <= 9999:
            raise ValueError(gettext("“%(value)s” is not a year.") % {"value": text})
        return int(number)


class RateWidget(widgets.DecimalWidget):
    """A percentage with a point as decimal separator, whatever the locale (the UN scale prints 0.001)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        # str() of an XLSX float is its shortest form (0.006, not 0.006000000000000001).
        text = str(value).strip().rstrip("%").strip()
        try:
            rate = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                gettext("“%(value)s” is not a number; write the rate in percent, e.g. 0.123.") % {"value": value}
            ) from None
        if not rate.is_finite():
            raise ValueError(gettext("“%(value)s” is not a number.") % {"value": value})
        return rate


class AssessmentRateResource(LookupCheckingResource):
    state = fields.Field(attribute="state", column_name="state_iso3", widget=widgets.ForeignKeyWidget(State, "iso3"))
    first_year = fields.Field(attribute="first_year", column_name="first_year", widget=YearWidget())
    last_year = fields.Field(attribute="last_year", column_name="last_year", widget=YearWidget())
    rate = fields.Field(attribute="rate", column_name="rate", widget=RateWidget())
    source = fields.Field(attribute="source", column_name="source", widget=LowercaseChoiceWidget())
    reference = fields.Field(attribute="reference", column_name="reference", widget=widgets.CharWidget())
    state_name = fields.Field(column_name="state_name", readonly=True)

    class Meta:
        model = AssessmentRate
        fields = ["state", "state_name", "first_year", "last_year", "rate", "source", "reference"]
        import_id_fields = ["state", "first_year"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("state")

    def before_import_row(self, row, **kwargs):
        """Also report a bad first_year against its column: as a key it is read before the row is validated."""
        errors: dict[str, list[str]] = {}
        try:
            super().before_import_row(row, **kwargs)
        except ValidationError as exc:
            errors |= exc.message_dict
        for name in self._meta.import_id_fields:
            field = self.fields[name]
            if field.column_name in row and not isinstance(field.widget, widgets.ForeignKeyWidget):
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def dehydrate_state_name(self, obj: AssessmentRate) -> str:
        return obj.state.name_en


class ComplianceResource(resources.Resource):
    """One row per year in which reports fell due (selectors.ComplianceRow), headed as on the compliance page.

    Headings in the reader's language: a report to read, never imported back.
    """

    year = fields.Field(attribute="year", column_name=_("Year due"), widget=widgets.IntegerWidget())
    owed = fields.Field(attribute="owed", column_name=_("Owed"), widget=widgets.IntegerWidget())
    on_time = fields.Field(attribute="on_time", column_name=_("On time"), widget=widgets.IntegerWidget())
    late = fields.Field(attribute="late", column_name=_("Late"), widget=widgets.IntegerWidget())
    overdue = fields.Field(attribute="overdue", column_name=_("Overdue"), widget=widgets.IntegerWidget())
    pending = fields.Field(attribute="pending", column_name=_("Not yet due"), widget=widgets.IntegerWidget())
    on_time_rate = fields.Field(
        attribute="on_time_rate", column_name=_("On-time rate (%)"), widget=widgets.DecimalWidget()
    )

    class Meta:
        export_order = ["year", "owed", "on_time", "late", "overdue", "pending", "on_time_rate"]


class CostShareResource(resources.Resource):
    """One row per participating State (selectors.CostShareRow), headed in the reader's language.

    A report to read, never imported back (the scale's import columns are SCALE_COLUMNS): its headings may be
    words. The amount's heading names the currency, as the page does.
    """

    state = fields.Field(attribute="state__name_en", column_name=_("State"))
    iso3 = fields.Field(attribute="state__iso3", column_name=_("ISO code"))
    rate = fields.Field(attribute="rate", column_name=_("Rate (%)"), widget=widgets.DecimalWidget())
    rate_source = fields.Field(attribute="rate_source", column_name=_("Source of the rate"))
    percentage = fields.Field(attribute="percentage", column_name=_("Share (%)"), widget=widgets.DecimalWidget())
    amount = fields.Field(attribute="amount", column_name=_("Amount"), widget=widgets.DecimalWidget())

    class Meta:
        export_order = ["state", "iso3", "rate", "rate_source", "percentage", "amount"]

    def __init__(self, *, currency: str = "", **kwargs):
        super().__init__(**kwargs)
        self.currency = currency

    def get_export_headers(self, selected_fields=None):
        headers = super().get_export_headers(selected_fields)
        if self.currency:
            amount = headers.index(str(self.fields["amount"].column_name))
            headers[amount] = gettext("Amount (%(currency)s)") % {"currency": self.currency}
        return headers
