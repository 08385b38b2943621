"""The list of participants as a spreadsheet (django-import-export), in the same order as the PDF."""

from dataclasses import dataclass

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
    category = fields.Field(attribute="category", column_name="Category")
    delegation = fields.Field(attribute="delegation", column_name="State or organisation")
    title = fields.Field(attribute="title", column_name="Title")
    given_name = fields.Field(attribute="given_name", column_name="Given name")
    family_name = fields.Field(attribute="family_name", column_name="Family name")
    role = fields.Field(attribute="role", column_name="Role")
    position = fields.Field(attribute="position", column_name="Position")
    email = fields.Field(attribute="email", column_name="E-mail")

    SHEET_TITLE = "List of participants"

    def __init__(self, *, listed: list[ListedDelegation]):
        super().__init__()
        self.listed = listed

    def get_queryset(self):
        labels = dict(Delegation.Category.choices)
        roles = dict(Member.Role.choices)
        return [
            ParticipantRow(
                category=labels[entry.category],
                delegation=inert(entry.party_name),
                title=member.courtesy_title,
                given_name=inert(member.given_name),
                family_name=inert(member.family_name.upper()),
                role=roles[member.role],
                position=inert(member.position),
                email=inert(member.email),
            )
            for entry in self.listed
            for member in entry.members
        ]

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset if queryset is not None else self.get_queryset(), **kwargs)
        # The sheet's name in the workbook (tablib's default is "Tablib Dataset").
        dataset.title = self.SHEET_TITLE
        return dataset
