"""The crawl's matrix: every URL of the portal, how to fill its parameters from the demo data, and
the status each role must get, taken from the rules that grant access.

- Admin model pages follow ``common.roles.ROLE_PERMISSIONS`` (the superuser has every permission),
  narrowed by the row rules of ``correspondence.permissions`` and by what an admin never offers
  (``ADD_REFUSED``).
- Portal pages and custom admin views follow the apps' ``permissions.py``, one entry per URL name
  in ``PORTAL_VIEWS`` / ``ADMIN_VIEWS``.

A new URL without an entry fails the crawl with the name of the table to extend: nobody adds a page
without saying who may see it. Keep the rules in the order the views check them (signed in, then
role, then object), so a 403 and a 404 are told apart exactly.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, Model, Q
from django.urls import URLPattern, URLResolver, get_resolver
from import_export.admin import ImportExportMixinBase

from ccm_portal.mfa import has_two_factor
from common.roles import PRESIDENCY, ROLE_PERMISSIONS, SECRETARIAT
from correspondence import permissions as correspondence_permissions
from correspondence.models import Email, Note, NoteCopy, NoteTemplate
from meetings.models import Document, Meeting
from obligations import permissions as obligations_permissions
from registration import permissions as registration_permissions
from registration import services as registration_services
from registration.models import Credentials, Delegation, Invitation
from treaties.models import Organisation, State

ROLES = ("anonymous", "focal point", "presidency", "secretariat", "superuser")
# The group each role's account belongs to (demo.loader); its grants are ROLE_PERMISSIONS[group].
ROLE_GROUP = {"presidency": PRESIDENCY, "secretariat": SECRETARIAT}
ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})
MISSING_PK = 987_654_321
MISSING_SLUG = "no-such-meeting"


@dataclass(frozen=True)
class Route:
    """One named URL pattern: ``name`` with its namespace, the names of its parameters."""

    name: str
    params: tuple[str, ...]
    pattern: str


@dataclass
class Case:
    """One request: URL arguments, the objects they stand for (None where it does not exist), a query string."""

    kwargs: dict = field(default_factory=dict)
    objs: dict = field(default_factory=dict)
    query: str = ""
    label: str = ""


@dataclass(frozen=True)
class Entry:
    """Who may see a view: ``rule(user, **case.objs)`` gives the status; ``cases()`` the requests to make."""

    rule: Callable[..., int]
    cases: Callable[[], Iterable[Case]] = lambda: [Case()]


@dataclass(frozen=True)
class KnownWrong:
    """A page that today gives ``status`` instead of what the matrix says, for a reason being fixed.

    The crawl tolerates exactly that status on paths matching ``path`` (a regular expression), and fails
    once the page is right, so the entry is removed with the fix."""

    roles: frozenset[str]
    path: str
    status: int
    why: str


KNOWN_WRONG: list[KnownWrong] = []


# --- enumerating the URL conf ---------------------------------------------------------------------------------------


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def routes() -> list[Route]:
    """Every named pattern of the URL conf, with its namespace and all its parameters."""
    found: list[Route] = []

    def walk(patterns, namespace: str, params: tuple[str, ...], prefix: str) -> None:
        for entry in patterns:
            here = params + _params(entry.pattern)
            text = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, here, text)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append(Route(namespace + entry.name, here, text))

    walk(get_resolver().url_patterns, "", (), "")
    return found


def portal_routes() -> list[Route]:
    return [r for r in routes() if not r.name.startswith("admin:")]


def admin_routes() -> list[Route]:
    return [r for r in routes() if r.name.startswith("admin:")]


def model_key(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


# Admin URL names Django (and django-import-export) make for every registered model; the crawl requests
# the changelist, add and change pages of each itself. History and delete confirmation pages are not
# crawled: they are Django's, and deletion is governed by the same permissions as the pages crawled.
MODEL_PAGES = ("changelist", "add", "change")
MODEL_PAGES_NOT_CRAWLED = ("history", "delete")
IMPORT_EXPORT_PAGES = ("import", "process_import", "export")


def standard_admin_names() -> set[str]:
    names = set()
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        names |= {f"{info}_{page}" for page in (*MODEL_PAGES, *MODEL_PAGES_NOT_CRAWLED)}
        if isinstance(model_admin, ImportExportMixinBase):
            names |= {f"{info}_{page}" for page in IMPORT_EXPORT_PAGES}
    return names


# --- signing in -----------------------------------------------------------------------------------------------------


def sign_in(client, user) -> None:
    """What a real sign-in leaves in the session: Django's login, and allauth's record of the password
    and, for an account with an authenticator, of the TOTP step (so reauthentication is not asked)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp:
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": totp.type})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


# --- admin model pages: ROLE_PERMISSIONS ----------------------------------------------------------------------------


def granted(role: str, user, model: type[Model]) -> frozenset[str] | None:
    """The actions the role holds on the model; None when the admin is closed to the user (not staff)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if user.is_superuser:
        return ALL_ACTIONS
    grants = ROLE_PERMISSIONS.get(ROLE_GROUP.get(role, ""), {})
    return frozenset(grants.get((model._meta.app_label, model._meta.model_name), ()))


# Admin models no role is granted: the superuser's alone, by choice. A new model must be granted in
# common/roles.py or listed here.
SUPERUSER_ONLY = {
    ("auth", "group"),
    ("auth", "user"),
    ("sites", "site"),
    ("account", "emailaddress"),
    ("mfa", "authenticator"),
}


# Models whose admin never offers "add", whatever the permissions: their rows come from a service.
ADD_REFUSED = {
    "correspondence.referencecounter": "numbers are taken only by issuing a note",
    "correspondence.notecopy": "copies are made by issuing a note",
    "registration.credentials": "credentials are uploaded by the focal point",
    "correspondence.email": "e-mails are written by the services that send them (email_queue)",
    "obligations.remindersent": "rows are written by the reminder task",
    "registration.delegation": "delegations are registered by their focal points (delegation_save)",
}


def _office_visible(user, office_id: int) -> bool:
    office_ids = correspondence_permissions.office_ids_for(user)
    return office_ids is None or office_id in office_ids


# Row rules: objects the admin hides from a role that may otherwise see the model (its change page
# then redirects to the admin index, as Django does for any object it cannot find).
ROW_VISIBLE: dict[str, Callable[[object, Model], bool]] = {
    "correspondence.note": lambda user, obj: _office_visible(user, obj.office_id),
    "correspondence.notecopy": lambda user, obj: _office_visible(user, obj.note.office_id),
}


def admin_model_page(role: str, user, model: type[Model], page: str, obj: Model | None = None) -> int:
    actions = granted(role, user, model)
    if actions is None:
        return 302  # to the sign-in page
    if page == "changelist":
        return 200 if actions & {"view", "change"} else 403
    if page == "add":
        return 200 if "add" in actions and model_key(model) not in ADD_REFUSED else 403
    if not actions & {"view", "change"}:
        return 403
    visible = ROW_VISIBLE.get(model_key(model), lambda user, obj: True)
    return 200 if obj is not None and visible(user, obj) else 302


# Big models get a sample: one object for each combination of the fields that change what their
# pages show (and, for note copies, whose office may see them), plus named objects.
BIG_MODEL = 30
SAMPLE_VARIANTS: dict[str, dict] = {
    # The UN membership status, plus the States the demo roles work with (the presidency's Iraq, the
    # focal point's Norway, the Lao PDR's bilingual missions) and the three with no mission e-mail.
    "treaties.state": {"fields": ["un_status"], "also": {"iso3__in": ["NOR", "IRQ", "LAO", "NIU", "COK", "VAT"]}},
    # Each city; Norway's two addresses, Niue and the Holy See with none (their notes go by hand).
    "treaties.permanentmission": {"fields": ["city"], "also": {"state__iso3__in": ["NOR", "NIU", "VAT"]}},
    # Each treaty and instrument (signature only has none), withdrawals and overridden dates.
    "treaties.participation": {
        "fields": ["treaty", "instrument", "withdrawal_notice_date__isnull", "entry_into_force_override__isnull"],
    },
    # Each note (its office decides who sees the copy) and each way of delivery and status.
    "correspondence.notecopy": {"fields": ["note", "delivery", "status"]},
    # Each treaty, kind of report and language.
    "obligations.reportsubmission": {"fields": ["treaty", "kind", "language"]},
    # UN rates and the secretariat's own (Cook Islands, Niue).
    "obligations.assessmentrate": {"fields": ["source"]},
}


def sample(model: type[Model]) -> list[Model]:
    """Every object of a small model; a covering sample of a big one (``SAMPLE_VARIANTS``)."""
    objects = model._default_manager.order_by("pk")
    total = objects.count()
    if total <= BIG_MODEL:
        return list(objects)
    spec = SAMPLE_VARIANTS.get(model_key(model))
    if spec is None:
        raise LookupError(
            f"{model_key(model)} has {total} demo rows: add it to SAMPLE_VARIANTS in tests/crawl.py "
            "(the fields whose values change what its admin pages show)."
        )
    # "field__isnull" variants become boolean columns, so that one row stands for each case.
    flags = {
        lookup.replace("__", "_"): ExpressionWrapper(Q(**{lookup: True}), output_field=BooleanField())
        for lookup in spec["fields"]
        if lookup.endswith("__isnull")
    }
    columns = [lookup.replace("__", "_") if lookup.endswith("__isnull") else lookup for lookup in spec["fields"]]
    first_of_each: dict[tuple, int] = {}
    for pk, *key in objects.annotate(**flags).values_list("pk", *columns):
        first_of_each.setdefault(tuple(key), pk)
    pks = set(first_of_each.values())
    if "also" in spec:
        pks |= set(objects.filter(**spec["also"]).values_list("pk", flat=True))
    return list(objects.filter(pk__in=pks))


# --- portal pages: the apps' permissions.py -------------------------------------------------------------------------


def anyone(user, **objs) -> int:
    return 200


def signed_in(inner: Callable[..., int]) -> Callable[..., int]:
    """LoginRequiredMixin: anonymous visitors are sent to the sign-in page first."""

    def rule(user, **objs) -> int:
        return 302 if not user.is_authenticated else inner(user, **objs)

    return rule


def found_then(names: tuple[str, ...], inner: Callable[..., int]) -> Callable[..., int]:
    """Views that look up their public objects (meeting, State) before asking who is there: an unknown
    one is 404 for anyone, and only then does sign-in or the role count."""

    def rule(user, **objs) -> int:
        return 404 if any(objs.get(n) is None for n in names) else inner(user, **objs)

    return rule


def exists(*names: str) -> Callable[..., int]:
    def rule(user, **objs) -> int:
        return 200 if all(objs.get(n) is not None for n in names) else 404

    return rule


def anonymous_only(user, **objs) -> int:
    """allauth's sign-in and sign-up pages send a signed-in user on."""
    return 302 if user.is_authenticated else 200


def post_only(user, **objs) -> int:
    return 405


def _participants(user, meeting=None, fmt="html", **_) -> int:
    # SecretariatMixin: the role first (the presidency only for a meeting it presides), then the meeting.
    if not registration_permissions.is_secretariat(user) and not (
        meeting is not None and registration_permissions.presides(user, meeting)
    ):
        return 403
    return 200 if meeting is not None and fmt in ("html", "pdf", "xlsx", "csv") else 404


def _secretariat_page(user, meeting=None, **objs) -> int:
    if not registration_permissions.is_secretariat(user):
        return 403
    return 200 if meeting is not None else 404


def _obligations_page(user, **_) -> int:
    return 200 if obligations_permissions.can_work_on_obligations(user) else 403


def _delegation(user, meeting=None, party=None, delegation=None, **_) -> int:
    if meeting is None or party is None:
        return 404
    if delegation is not None:
        return 200 if registration_permissions.can_view_delegation(user, delegation) else 404
    state_id = party.pk if not isinstance(party, Organisation) else None
    organisation_id = party.pk if isinstance(party, Organisation) else None
    allowed = registration_permissions.is_secretariat(user) or registration_permissions.is_focal_point_for(
        user, state_id=state_id, organisation_id=organisation_id
    )
    return 200 if allowed else 404


def _credentials_file(user, credentials=None, **_) -> int:
    if credentials is None:
        return 404
    return 200 if registration_permissions.can_view_credentials(user, credentials.delegation) else 404


def always(status: int) -> Callable[..., int]:
    return lambda user, **_: status


def _with_totp(inner_status: int) -> Callable[..., int]:
    """Pages about an existing authenticator: not found for an account without one."""
    return lambda user, **_: inner_status if has_two_factor(user) else 404


def _mfa_reauthenticate(user, **_) -> int:
    """Reauthenticating with a code is offered to an account with TOTP; others reauthenticate by password."""
    return 200 if has_two_factor(user) else 302


# --- fillers: URL parameters from the demo data ---------------------------------------------------------------------


def meetings() -> list[Case]:
    found = [Case({"slug": m.slug}, {"meeting": m}) for m in Meeting.objects.order_by("start_date")]
    return [*found, Case({"slug": MISSING_SLUG}, {"meeting": None}, label="missing meeting")]


def meetings_with_queries(*queries: str) -> Callable[[], list[Case]]:
    def cases() -> list[Case]:
        return [*meetings(), *(Case(m.kwargs, m.objs, q) for m in meetings()[:1] for q in queries)]

    return cases


def participants_files() -> list[Case]:
    """Every format for the 11MSP (the demo's full list) and an empty meeting; a bad format; no meeting."""
    msp11 = Meeting.objects.get(slug="ccm-11msp-geneva-2023")
    empty = Meeting.objects.exclude(pk__in=Delegation.objects.values("meeting")).order_by("start_date").first()
    cases = [Case({"slug": msp11.slug, "fmt": f}, {"meeting": msp11, "fmt": f}) for f in ("pdf", "xlsx", "csv", "doc")]
    cases.append(Case({"slug": empty.slug, "fmt": "pdf"}, {"meeting": empty, "fmt": "pdf"}))
    cases.append(Case({"slug": MISSING_SLUG, "fmt": "xlsx"}, {"meeting": None, "fmt": "xlsx"}))
    return cases


def delegation_pages() -> list[Case]:
    """Every delegation; a party with none yet (Norway at the open meeting, an organisation); unknown parties."""
    cases = [
        Case(
            {"slug": d.meeting.slug, "party_key": d.party_key},
            {"meeting": d.meeting, "party": d.party, "delegation": d},
        )
        for d in Delegation.objects.select_related("meeting", "state", "organisation").order_by("pk")
    ]
    open_meeting = Meeting.objects.get(slug="ccm-intersessional-demo")
    taken = set(Delegation.objects.filter(meeting=open_meeting).values_list("state__iso3", flat=True))
    for iso3 in ["NOR", "MEX"]:
        if iso3 not in taken:
            state = State.objects.get(iso3=iso3)
            cases.append(
                Case(
                    {"slug": open_meeting.slug, "party_key": f"state-{iso3}"},
                    {"meeting": open_meeting, "party": state, "delegation": None},
                )
            )
    organisation = Organisation.objects.order_by("pk").first()
    cases.append(
        Case(
            {"slug": open_meeting.slug, "party_key": f"org-{organisation.pk}"},
            {"meeting": open_meeting, "party": organisation, "delegation": None},
        )
    )
    for key in ("state-XXX", "org-nope", "planet-1"):
        cases.append(Case({"slug": open_meeting.slug, "party_key": key}, {"meeting": open_meeting, "party": None}))
    cases.append(Case({"slug": MISSING_SLUG, "party_key": "state-NOR"}, {"meeting": None, "party": None}))
    return cases


def delegation_posts() -> list[Case]:
    d = Delegation.objects.select_related("meeting", "state", "organisation").order_by("pk").first()
    return [Case({"slug": d.meeting.slug, "party_key": d.party_key})]


def credentials() -> list[Case]:
    found = [Case({"pk": c.pk}, {"credentials": c}) for c in Credentials.objects.select_related("delegation")]
    return [*found, Case({"pk": MISSING_PK}, {"credentials": None})]


def documents() -> list[Case]:
    found = [Case({"pk": d.pk}, {"document": d if d.file else None}) for d in Document.objects.order_by("pk")]
    return [*found, Case({"pk": MISSING_PK}, {"document": None})]


def invitation_tokens() -> list[Case]:
    cases = [
        Case({"token": registration_services.invitation_token(i)}, {"invitation": i}) for i in Invitation.objects.all()
    ]
    return [*cases, Case({"token": "not-a-signed-token"}, {"invitation": None})]


def bogus(**kwargs) -> Callable[[], list[Case]]:
    return lambda: [Case(kwargs)]


# Who may see each portal view, and with which arguments to ask. Rules call registration.permissions;
# allauth's pages follow allauth (sign-in pages for visitors, account pages for signed-in users).
PORTAL_VIEWS: dict[str, Entry] = {
    "home": Entry(always(302)),
    "favicon": Entry(always(301)),
    # The language switcher takes a POST only (ccm_portal.i18n); the crawl GETs.
    "language_set": Entry(always(405)),
    "meetings:list": Entry(anyone, lambda: [Case(), Case(query="when=past"), Case(query="treaty=CCM&kind=msp")]),
    "meetings:calendar": Entry(anyone, lambda: [Case(), Case(query="treaty=APMBC")]),
    "meetings:document_file": Entry(exists("document"), documents),
    "meetings:detail": Entry(exists("meeting"), meetings),
    "meetings:meeting_calendar": Entry(exists("meeting"), meetings),
    "registration:mine": Entry(signed_in(anyone)),
    "registration:focal_point_request": Entry(signed_in(anyone)),
    "registration:profile": Entry(signed_in(anyone)),
    "registration:invitation": Entry(anyone, invitation_tokens),
    "registration:credentials_file": Entry(signed_in(_credentials_file), credentials),
    "registration:participants": Entry(signed_in(_participants), meetings),
    "registration:participants_file": Entry(signed_in(_participants), participants_files),
    "registration:credentials_report": Entry(signed_in(_secretariat_page), meetings),
    "registration:delegation": Entry(found_then(("meeting", "party"), signed_in(_delegation)), delegation_pages),
    "registration:credentials_upload": Entry(signed_in(post_only), delegation_posts),
    "registration:invite_provisionally": Entry(signed_in(post_only), delegation_posts),
    # Anonymous visitors are asked to sign in before anything is looked up; then the role, then the meeting.
    "obligations:cost_shares": Entry(signed_in(_secretariat_page), meetings_with_queries("format=xlsx", "format=csv")),
    "obligations:compliance": Entry(
        signed_in(_obligations_page),
        lambda: [Case(), Case(query="treaty=APMBC"), Case(query="treaty=CCM&format=xlsx"), Case(query="format=csv")],
    ),
    # allauth
    "account_login": Entry(anonymous_only),
    "account_signup": Entry(anonymous_only),
    "account_logout": Entry(lambda user, **o: 200 if user.is_authenticated else 302),
    "account_inactive": Entry(anyone),
    "account_reauthenticate": Entry(signed_in(anyone)),
    "account_email": Entry(signed_in(anyone)),
    "account_email_verification_sent": Entry(anyone),
    "account_change_password": Entry(signed_in(anyone)),
    "account_set_password": Entry(signed_in(always(302))),  # every account has a password: to "change"
    "account_reset_password": Entry(anyone),
    "account_reset_password_done": Entry(anyone),
    "account_reset_password_from_key": Entry(anyone, bogus(uidb36="zz", key="not-a-key")),
    "account_reset_password_from_key_done": Entry(anyone),
    "account_confirm_email": Entry(anyone, bogus(key="not-a-key")),
    "account_confirm_login_code": Entry(always(302)),  # login by code is off: back to the sign-in
    "mfa_index": Entry(signed_in(anyone)),
    "mfa_authenticate": Entry(always(302)),  # only in the middle of a sign-in
    "mfa_reauthenticate": Entry(signed_in(_mfa_reauthenticate)),
    # Changing the second factor asks to reauthenticate first, even right after signing in (allauth).
    "mfa_activate_totp": Entry(signed_in(always(302))),
    "mfa_deactivate_totp": Entry(signed_in(_with_totp(302))),
    "mfa_generate_recovery_codes": Entry(signed_in(always(302))),
    # No demo account has recovery codes yet.
    "mfa_view_recovery_codes": Entry(signed_in(always(404))),
    "mfa_download_recovery_codes": Entry(signed_in(always(404))),
}


# --- custom admin views -----------------------------------------------------------------------------------------------


def staff(inner: Callable[..., int]) -> Callable[..., int]:
    """admin_view / staff_member_required: anyone not staff is sent to the sign-in page."""

    def rule(user, **objs) -> int:
        return inner(user, **objs) if user.is_authenticated and user.is_active and user.is_staff else 302

    return rule


def notes() -> list[Case]:
    found = [Case({"pk": n.pk}, {"note": n}) for n in Note.objects.order_by("pk")]
    return [*found, Case({"pk": MISSING_PK}, {"note": None})]


def note_copies() -> list[Case]:
    found = [Case({"pk": c.pk}, {"copy": c}) for c in sample(NoteCopy)]
    return [*found, Case({"pk": MISSING_PK}, {"copy": None})]


def _note_visible(user, note=None, **_) -> int:
    return 200 if note is not None and _office_visible(user, note.office_id) else 404


def note_templates() -> list[Case]:
    found = [Case({"pk": t.pk}, {"template": t}) for t in NoteTemplate.objects.order_by("pk")]
    return [*found, Case({"pk": MISSING_PK}, {"template": None})]


def _template_usable(user, template=None, **_) -> int:
    return 200 if template is not None and correspondence_permissions.can_use_template(user, template) else 404


def _copy_pdf(user, copy=None, **_) -> int:
    # Only a rendered copy has a PDF to download (the demo's are recorded history, never rendered).
    return 200 if copy is not None and copy.pdf and _office_visible(user, copy.note.office_id) else 404


def _copy_visible(user, copy=None, **_) -> int:
    return 200 if copy is not None and _office_visible(user, copy.note.office_id) else 404


def outbox_emails() -> list[Case]:
    found = [Case({"pk": e.pk}, {"email": e}) for e in sample(Email)]
    return [*found, Case({"pk": MISSING_PK}, {"email": None})]


def _email_correctable(user, email=None, **_) -> int:
    # The portal's own e-mails are the secretariat's (correspondence.permissions.can_resend_email).
    if not correspondence_permissions.can_resend_email(user):
        return 403
    return 200 if email is not None else 404


def _model_permission(model: str, *actions: str) -> Callable[..., int]:
    """A custom view behind a model permission (ROLE_PERMISSIONS): 403 without any of ``actions``."""

    def rule(user, role: str = "", **objs) -> int:
        held = granted(role, user, apps.get_model(model)) or frozenset()
        return 200 if held & set(actions) else 403

    return rule


def admin_index(user, **objs) -> int:
    return 200


def _app_list(user, role: str = "", app_label: str = "", **_) -> int:
    """An app's page lists the models the user may see; with none, Django answers 404."""
    for model in admin.site._registry:
        if model._meta.app_label == app_label and (granted(role, user, model) or frozenset()) & {"view", "change"}:
            return 200
    return 404


def app_labels() -> list[Case]:
    labels = sorted({m._meta.app_label for m in admin.site._registry})
    return [Case({"app_label": label}, {"app_label": label}) for label in labels]


def autocompletes() -> list[Case]:
    """Every autocomplete field of every admin (and its inlines): the search needs view on the target model."""
    cases = []
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, fields in sources:
            for name in fields:
                target = source._meta.get_field(name).remote_field.model
                query = f"app_label={source._meta.app_label}&model_name={source._meta.model_name}&field_name={name}"
                cases.append(Case(query=query, objs={"target": model_key(target)}, label=query))
    return cases


def _autocomplete(user, role: str = "", target: str = "", **_) -> int:
    return 200 if (granted(role, user, apps.get_model(target)) or frozenset()) & {"view", "change"} else 403


def view_on_site() -> list[Case]:
    meeting = Meeting.objects.order_by("pk").first()
    ct = ContentType.objects.get_for_model(Meeting)
    return [Case({"content_type_id": ct.pk, "object_id": meeting.pk})]


def users() -> list[Case]:
    return [Case({"id": u.pk}, {"account": u}) for u in get_user_model().objects.order_by("pk")]


def dry_run_dates() -> list[Case]:
    return [Case(), Case(query=f"date={dt.date(2026, 4, 1).isoformat()}"), Case(query="date=1 April")]


# Django's own admin views and the apps' custom ones. Rules get the role too, for ROLE_PERMISSIONS.
ADMIN_VIEWS: dict[str, Entry] = {
    "admin:index": Entry(staff(admin_index)),
    # Anonymous visitors go to allauth's sign-in (ccm_portal.mfa); staff already in go to the index;
    # a signed-in non-staff user is told they may not enter.
    "admin:login": Entry(lambda user, **o: 200 if user.is_authenticated and not user.is_staff else 302),
    "admin:logout": Entry(staff(post_only)),
    "admin:password_change": Entry(staff(anyone)),
    "admin:password_change_done": Entry(staff(anyone)),
    "admin:jsi18n": Entry(staff(anyone)),
    "admin:autocomplete": Entry(staff(_autocomplete), autocompletes),
    "admin:view_on_site": Entry(staff(always(302)), view_on_site),
    "admin:app_list": Entry(staff(_app_list), app_labels),
    "admin:auth_user_password_change": Entry(staff(_model_permission("auth.user", "change")), users),
    "admin:correspondence_note_preview": Entry(staff(_note_visible), notes),
    "admin:correspondence_note_preview_pdf": Entry(staff(_note_visible), notes),
    "admin:correspondence_note_submit": Entry(staff(post_only), notes),
    "admin:correspondence_note_approve": Entry(staff(post_only), notes),
    # GET: the confirmation page (or why the note cannot be issued); only its POST issues.
    "admin:correspondence_note_issue": Entry(staff(_note_visible), notes),
    "admin:correspondence_note_placeholders": Entry(
        staff(lambda user, valid=True, **_: 200 if valid else 400),
        lambda: [
            Case(query="language=en&form=note_verbale", objs={"valid": True}),
            Case(query="language=xx&form=", objs={"valid": False}),
        ],
    ),
    "admin:correspondence_notetemplate_wording": Entry(staff(_template_usable), note_templates),
    "admin:correspondence_notetemplate_copy": Entry(staff(post_only), note_templates),
    "admin:correspondence_note_correct": Entry(staff(post_only), notes),
    "admin:correspondence_copy_pdf": Entry(staff(_copy_pdf), note_copies),
    "admin:correspondence_copy_resend": Entry(staff(post_only), note_copies),
    # GET: each address with the server's answer, and the form to correct a refused one of a failed row.
    "admin:correspondence_notecopy_correct_address": Entry(staff(_copy_visible), note_copies),
    "admin:correspondence_email_correct_address": Entry(staff(_email_correctable), outbox_emails),
    "admin:obligations_reminder_dry_run": Entry(
        staff(_model_permission("obligations.reminderstage", "view", "change")), dry_run_dates
    ),
}


def import_export_rule(model: type[Model], page: str) -> Callable[..., int]:
    """Importing writes rows: it needs "add"; exporting reads them: "view" (or "change")."""
    if page == "process_import":
        return staff(post_only)
    actions = ("add",) if page == "import" else ("view", "change")
    return staff(_model_permission(model_key(model), *actions))


def admin_entry(name: str) -> Entry | None:
    """The entry for an admin URL name: in ADMIN_VIEWS, or django-import-export's pages of a model."""
    if name in ADMIN_VIEWS:
        return ADMIN_VIEWS[name]
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ImportExportMixinBase):
            continue
        for page in IMPORT_EXPORT_PAGES:
            if name == f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}":
                return Entry(import_export_rule(model, page))
    return None
