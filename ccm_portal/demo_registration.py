"""Demo registrations: an approved delegation, a pending one, an open meeting, an invitation link,
and the TOTP secrets the demo staff accounts need to sign in."""

import datetime as dt
import io

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from meetings.models import Meeting
from registration import services
from registration.models import Delegation, FocalPoint, Invitation
from treaties.models import State, Treaty


def _totp_secret(user) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_meeting() -> Meeting:
    """An intersessional meeting placed relative to today, so registration is always open in the demo."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=75)
    meeting, _ = Meeting.objects.update_or_create(
        slug="ccm-intersessional-demo",
        defaults=dict(
            treaty=Treaty.objects.get(code="CCM"),
            kind=Meeting.Kind.INTERSESSIONAL,
            title="Intersessional Meetings of the Convention on Cluster Munitions",
            start_date=start,
            end_date=start + dt.timedelta(days=2),
            city="Geneva",
            country=State.objects.get(iso3="CHE"),
            venue="Palais des Nations",
            room="Room XIX",
            registration_opens=today - dt.timedelta(days=10),
            registration_deadline=start - dt.timedelta(days=20),
            delegation_details_deadline=start - dt.timedelta(days=20),
            status=Meeting.Status.CONVENED,
            description="Illustrative demo meeting, open for registration.",
        ),
    )
    return meeting


def _delegation(*, meeting, state, user, members, submit: bool) -> Delegation:
    existing = Delegation.objects.filter(meeting=meeting, state=state).first()
    if existing:
        return existing
    delegation = services.delegation_save(meeting=meeting, user=user, state=state, members=members)
    if submit:
        delegation = services.delegation_submit(delegation=delegation, user=user)
    return delegation


def registration_demo_load(*, users: dict) -> dict:
    secretariat = users["secretariat"]
    norway, lao = State.objects.get(iso3="NOR"), State.objects.get(iso3="LAO")
    open_meeting = _open_meeting()
    msp11 = Meeting.objects.get(slug="ccm-11msp-geneva-2023")
    member = services.MemberData

    # Approved: Norway at the 11MSP, entered by the secretariat after the fact, credentials in order.
    approved = _delegation(
        meeting=msp11,
        state=norway,
        user=secretariat,
        submit=True,
        members=[
            member("H.E.", "Solberg", "Ingrid", "head", "Ambassador, Permanent Representative", gender="f"),
            member("Mr.", "Berg", "Lars", "alternate", "Deputy Permanent Representative", gender="m"),
            member("Ms.", "Nilsen", "Kari", "adviser", "Senior Adviser, Ministry of Foreign Affairs", gender="f"),
        ],
    )
    if approved.status == Delegation.Status.SUBMITTED:
        services.delegation_decide(delegation=approved, by=secretariat, approve=True)
    if not hasattr(approved, "credentials"):
        credentials = services.credentials_upload(
            delegation=approved,
            file=SimpleUploadedFile("credentials.pdf", _blank_pdf(), content_type="application/pdf"),
            user=secretariat,
        )
        services.credentials_review(credentials=credentials, by=secretariat, status="in_order")

    # More approved delegations at the 11MSP, so its list of participants and cost shares read like one.
    others = [
        ("IRQ", ("H.E.", "Al-Rubaie", "Hassan", "head", "Ambassador, Permanent Mission", "m")),
        ("CHE", ("Ms.", "Keller", "Anna", "head", "Deputy Head, Arms Control and Disarmament", "f")),
        ("MEX", ("H.E.", "Ramirez", "Lucia", "head", "Ambassador, Permanent Representative", "f")),
        ("LAO", ("Mr.", "Vongsa", "Khamphone", "head", "Counsellor, Permanent Mission", "m")),
        ("IRL", ("Ms.", "Byrne", "Siobhan", "head", "Disarmament and Non-Proliferation Section", "f")),
    ]
    # The open meeting has some approved already (its cost shares need participants); Norway's
    # focal point still has to register, and Mexico has the invitation link printed by load_demo.
    approvals = [(msp11, entry) for entry in others]
    approvals += [(open_meeting, entry) for entry in others if entry[0] in {"IRQ", "CHE", "IRL"}]
    for meeting, (iso3, (title, family, given, role, position, gender)) in approvals:
        extra = _delegation(
            meeting=meeting,
            state=State.objects.get(iso3=iso3),
            user=secretariat,
            submit=True,
            members=[member(title, family, given, role, position, gender=gender)],
        )
        if extra.status == Delegation.Status.SUBMITTED:
            services.delegation_decide(delegation=extra, by=secretariat, approve=True)

    # Pending: the Lao PDR at the open intersessional meeting, submitted and waiting for review.
    FocalPoint.objects.get_or_create(user=secretariat, state=lao, defaults={"approved_at": timezone.now()})
    _delegation(
        meeting=open_meeting,
        state=lao,
        user=secretariat,
        submit=True,
        members=[
            member("H.E.", "Phommachanh", "Bounkham", "head", "Ambassador, Permanent Representative", gender="m"),
            member("Ms.", "Sengdara", "Viengkham", "expert", "National Regulatory Authority for UXO", gender="f"),
        ],
    )

    # A registration link for Mexico, as an invitation would carry it.
    invitation = Invitation.objects.filter(meeting=open_meeting, state__iso3="MEX", accepted_at__isnull=True).first()
    invitation = invitation or services.invitation_create(meeting=open_meeting, state=State.objects.get(iso3="MEX"))
    return {
        "totp": {users[name].email: _totp_secret(users[name]) for name in ("secretariat", "presidency")},
        "invitation_link": services.invitation_link(invitation),
        "open_meeting": open_meeting,
    }
