from django.conf import settings
from django.db import models
from django.db.models import Q

from treaties.models import State

from .references import format_reference, validate_reference_pattern


class Office(models.Model):
    """An office that issues correspondence under its own letterhead and numbering."""

    class Kind(models.TextChoices):
        PRESIDENCY = "presidency", "Presidency (Permanent Mission)"
        SECRETARIAT = "secretariat", "Secretariat"
        SUPPORT_UNIT = "support_unit", "Implementation Support Unit"

    name = models.CharField(max_length=255, unique=True)
    code = models.CharField(max_length=40, unique=True, help_text="Office code used in references, e.g. Lao PM.GE")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, help_text="The State of a Permanent Mission."
    )
    letterhead_lines = models.TextField(
        help_text="Letterhead lines in any script (Lao, Arabic, …), one per line, top to bottom."
    )
    motto = models.CharField(max_length=255, blank=True)
    emblem = models.ImageField(upload_to="emblems/", blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True)
    city = models.CharField(max_length=100, help_text="City written in the date line, e.g. Geneva.")
    reference_pattern = models.CharField(
        max_length=120,
        validators=[validate_reference_pattern],
        help_text="Tokens: {seq} or {seq:03}, {yy}, {yyyy}, {code}; e.g. “No: {seq:03} Lao PM.GE.{yy}”.",
    )
    requires_approval = models.BooleanField(
        default=False, help_text="Notes need a second user's approval before they are issued."
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="offices")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="presidency") | Q(state__isnull=False),
                name="office_presidency_has_state",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def letterhead(self) -> list[str]:
        return [line.strip() for line in self.letterhead_lines.splitlines() if line.strip()]

    def reference_example(self, *, seq: int = 1, year: int = 2025) -> str:
        return format_reference(self.reference_pattern, seq=seq, year=year, code=self.code)
