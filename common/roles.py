"""The portal's roles as Django groups, and who may do what, in one place."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .data_version import cached

SECRETARIAT = "Secretariat"
PRESIDENCY = "Presidency office"

_ALL = ("add", "change", "delete", "view")

# (app_label, model) -> actions
ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    SECRETARIAT: {
        ("treaties", "treaty"): ("view", "change"),
        ("treaties", "state"): _ALL,
        ("treaties", "organisation"): _ALL,
        ("treaties", "permanentmission"): _ALL,
        ("treaties", "participation"): _ALL,
        ("meetings", "meeting"): _ALL,
        ("meetings", "meetinglink"): _ALL,
        ("meetings", "officer"): _ALL,
        ("meetings", "document"): _ALL,
        ("correspondence", "office"): _ALL,
        ("registration", "focalpoint"): _ALL,
        ("registration", "invitation"): _ALL,
        ("registration", "delegation"): ("view", "change"),
        ("registration", "member"): _ALL,
        ("registration", "credentials"): ("view",),  # examined on the delegation's review screen
        ("registration", "delegationchange"): ("view",),
        ("correspondence", "email"): ("view",),  # the outbox of plain e-mails; re-sent through its service
        ("correspondence", "notetemplate"): _ALL,
        ("correspondence", "note"): _ALL,
        ("correspondence", "signatory"): _ALL,
        ("correspondence", "individualaddressee"): _ALL,
        ("correspondence", "notecopy"): ("view",),
        ("correspondence", "referencecounter"): ("view",),
        # Article 7 reports and reminders, Article 14 rates and costs; the log of sent reminders is written
        # only by the reminder service (it is what stops a second reminder), so it is read-only.
        ("obligations", "reportsubmission"): _ALL,
        ("obligations", "reminderstage"): _ALL,
        # The wording of a stage in other languages, and the language a State asked its reminders in.
        ("obligations", "reminderwording"): _ALL,
        ("obligations", "reminderlanguage"): _ALL,
        ("obligations", "remindersent"): ("view",),
        ("obligations", "assessmentrate"): _ALL,
        ("obligations", "meetingcost"): _ALL,
        # Picking a person (focal point, reminder signatory) in the admin searches the accounts.
        ("auth", "user"): ("view",),
    },
    PRESIDENCY: {
        ("treaties", "treaty"): ("view",),
        ("treaties", "state"): ("view",),
        ("treaties", "organisation"): ("view",),
        ("treaties", "permanentmission"): ("view",),
        ("treaties", "participation"): ("view",),
        ("meetings", "meeting"): ("view",),
        ("meetings", "officer"): ("view",),
        ("meetings", "document"): ("view",),
        ("correspondence", "office"): ("view",),
        # Templates: the office's own only, and copies of shared ones (correspondence/permissions.py).
        ("correspondence", "notetemplate"): _ALL,
        ("correspondence", "note"): ("view", "add", "change", "delete"),
        ("correspondence", "signatory"): _ALL,
        ("correspondence", "individualaddressee"): _ALL,
        ("correspondence", "notecopy"): ("view",),
    },
}


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and set exactly the permissions listed above. Safe to run again."""
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for (app_label, model), actions in grants.items():
            codenames = [f"{action}_{model}" for action in actions]
            found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
            if len(found) != len(codenames):
                raise LookupError(f"Missing permissions for {app_label}.{model}: run migrate first.")
            wanted += found
        group.permissions.set(wanted)


def group_names(user) -> frozenset[str]:
    """The names of the user's groups (roles). Every staff page asks, several times: read once per request
    and, across requests, once per change of the data."""
    if not user.is_authenticated:
        return frozenset()
    names = getattr(user, "_portal_group_names", None)
    if names is None:
        names = user._portal_group_names = cached(
            f"user-groups:{user.pk}", lambda: frozenset(user.groups.values_list("name", flat=True))
        )
    return names


def is_secretariat(user) -> bool:
    """The one test of the secretariat's role, for every app's permission rules (a superuser counts)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return SECRETARIAT in group_names(user)


class CachedPermissionsBackend(ModelBackend):
    """Django's permissions, read once per change of the data instead of two queries on every staff request.

    First in AUTHENTICATION_BACKENDS; it checks no password (a session it is named in, as by the test
    client's force_login, still finds its user). The backends after it (Django's, allauth's) read
    the permissions this one put on the user (ModelBackend keeps them in ``_perm_cache``).
    """

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None and not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached(
                f"user-permissions:{user_obj.pk}:{user_obj.is_superuser}",
                lambda: set(ModelBackend.get_all_permissions(ModelBackend(), user_obj)),
            )
        return super().get_all_permissions(user_obj, obj)
