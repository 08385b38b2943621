"""The list of participants as a spreadsheet (django-import-export), in the same order as the PDF."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Delegation, Member
from .selectors import ListedDelegation

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """Names are typed by focal points: keep the text, but never let a spreadsheet run it."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


@dataclass
class ParticipantRow:
    category: str
    delegation: str
    title: str
    given_name: str
    family_name: str
    role: str
    position: str
    email: str


class ParticipantResource(resources.Resource):
    category = fields.Field(attribute="category", column_name=_("Category"))
    delegation = fields.Field(attribute="delegation", column_name=_("State or organisation"))
    title = fields.Field(attribute="title", column_name=_("Title"))
    given_name = fields.Field(attribute="given_name", column_name=_("Given name"))
    family_name = fields.Field(attribute="family_name", column_name=_("Family name"))
    role = fields.Field(attribute="role", column_name=_("Role"))
    position = fields.Field(attribute="position", column_name=_("Position"))
    email = fields.Field(attribute="email", column_name=_("E-mail"))

    SHEET_TITLE = _("List of participants")

    def __init__(self, *, listed: list[ListedDelegation]):
        super().__init__()
        self.listed = listed

    def get_queryset(self):
        labels = dict(Delegation.Category.choices)
        roles = dict(Member.Role.choices)
        return [
            ParticipantRow(
                category=str(labels[entry.category]),
                delegation=inert(entry.party_name),
                title=member.courtesy_title,
                given_name=inert(member.given_name),
                family_name=inert(member.family_name.upper()),
                role=str(roles[member.role]),
                position=inert(member.position),
                email=inert(member.email),
            )
            for entry in self.listed
            for member in entry.members
        ]

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset if queryset is not None else self.get_queryset(), **kwargs)
        # The sheet's name in the workbook (tablib's default is "Tablib Dataset").
        # A worksheet's name is at most 31 characters (Excel): the translations are shorter than that.
        dataset.title = str(self.SHEET_TITLE)
        return dataset
