from django.conf import settings
from django.db import models
from django.db.models import Q

from treaties.models import Organisation, State


class FocalPoint(models.Model):
    """A user who registers delegations on behalf of one State or one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points")
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.CASCADE, related_name="focal_points")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="focal_points"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False, organisation__isnull=True)
                | Q(state__isnull=True, organisation__isnull=False),
                name="focal_point_state_xor_organisation",
            ),
            models.UniqueConstraint(fields=["user", "state"], name="focal_point_unique_user_state"),
            models.UniqueConstraint(fields=["user", "organisation"], name="focal_point_unique_user_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.state or self.organisation}"
