"""Demo data from the five seed letters (docs/seeds), loaded idempotently.

Every record is found by its natural key and updated in place, so running the
loader again changes nothing and creates no duplicates.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.roles import PRESIDENCY, SECRETARIAT, roles_sync
from correspondence.models import Office
from demo.letters import seed_letters_load, templates_load
from demo.obligations import obligations_demo_load
from demo.registrations import registration_demo_load
from meetings.models import Document, Meeting, MeetingLink, Officer
from registration.models import FocalPoint
from registration.services import profile_update
from treaties.models import Organisation, PermanentMission, State, Treaty
from treaties.services import registry_import

DATA_DIR = Path(__file__).resolve().parent.parent / "treaties" / "data"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    # Illustrative people: the names are invented, the affiliations are the demo's offices.
    first_name: str = ""
    last_name: str = ""
    affiliation: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "secretariat@ccm-portal.localhost",
        "demo-secretariat-2026",
        "secretariat officer (UNODA)",
        "Claire",
        "Dubois",
        "Office for Disarmament Affairs, Geneva Branch",
    ),
    DemoAccount(
        "presidency@ccm-portal.localhost",
        "demo-presidency-2026",
        "presidency office (Iraq, 11MSP)",
        "Layla",
        "Hassan",
        "Permanent Mission of Iraq to the United Nations Office at Geneva",
    ),
    DemoAccount(
        "focalpoint@ccm-portal.localhost",
        "demo-focalpoint-2026",
        "focal point of Norway",
        "Ingrid",
        "Haugen",
        "Permanent Mission of Norway to the United Nations Office at Geneva",
    ),
]


def _registry() -> None:
    for kind in ("states", "organisations", "participations"):
        path = DATA_DIR / f"{kind}.csv"
        registry_import(kind=kind, data=path.read_bytes(), file_format="csv")


def _missions() -> None:
    """A Geneva mission for every State, so circulars have addressees.

    The contact details are illustrative (example.org), not the missions' real addresses.
    A few have no e-mail on purpose: their notes must be delivered by hand.
    """
    without_email = {"NIU", "COK", "VAT"}
    existing = set(PermanentMission.objects.filter(city="Geneva").values_list("state__iso3", flat=True))
    new = [
        PermanentMission(
            state=state,
            city=PermanentMission.City.GENEVA,
            name=f"Permanent Mission of {state.name_en} to the United Nations Office at Geneva",
            address="Geneva, Switzerland",
            emails="" if state.iso3 in without_email else f"mission.{state.iso3.lower()}.geneva@example.org",
        )
        for state in State.objects.all()
        if state.iso3 not in existing
    ]
    PermanentMission.objects.bulk_create(new)
    PermanentMission.objects.update_or_create(
        state=State.objects.get(iso3="NOR"),
        city=PermanentMission.City.GENEVA,
        defaults={
            "name": "Permanent Mission of Norway to the United Nations Office at Geneva",
            "address": "Geneva, Switzerland",
            "emails": "mission.nor.geneva@example.org\nambassador.nor.geneva@example.org",
        },
    )


def _offices() -> dict[str, Office]:
    # The Lao letterhead line is verbatim from seed letter 000. The two missions' e-mail addresses are
    # illustrative (example.org), like the missions' in _missions(); UNODA's and the ISU's are from seeds 004 and 003.
    offices = {
        "Lao PM.GE": dict(
            name="Permanent Mission of the Lao PDR to the United Nations Office and other International Organizations"
            " at Geneva",
            short_name="Permanent Mission of the Lao PDR",
            name_fr="la Mission permanente de la République démocratique populaire lao auprès de l'Office des"
            " Nations Unies et des autres organisations internationales à Genève",
            name_es="la Misión Permanente de la República Democrática Popular Lao ante la Oficina de las Naciones"
            " Unidas y otras organizaciones internacionales en Ginebra",
            name_ar="البعثة الدائمة لجمهورية لاو الديمقراطية الشعبية لدى مكتب الأمم المتحدة والمنظمات الدولية الأخرى"
            " في جنيف",
            name_ru="Постоянное представительство Лаосской Народно-Демократической Республики при Отделении"
            " Организации Объединенных Наций и других международных организациях в Женеве",
            name_zh_hans="老挝人民民主共和国常驻联合国日内瓦办事处和其他国际组织代表团",
            kind=Office.Kind.PRESIDENCY,
            state=State.objects.get(iso3="LAO"),
            # As seed 000 prints it, the motto under the State's name; seed 001 has its own Lao line (demo_letters).
            letterhead_lines="\n".join(
                [
                    "Lao People's Democratic Republic",
                    "Peace Independence Democracy Unity Prosperity",
                    "Permanent Mission of the Lao PDR to the United Nations Offices"
                    " and other International Organizations at Geneva",
                    "ສຳນັກງານຜູ້ຕາງຫນ້າຖາວອນ ສປປລາວ ປະຈຳຫ້ອງການ ສປຊ ແລະອົງການຈັດຕັ້ງ ສາກິນອື່ນຯ ທີ່ ເຂີແນວ",
                ]
            ),
            motto="",
            addressees_at_end=True,
            date_with_city=False,
            email="mission.lao.geneva@example.org",
            city="Geneva",
            reference_pattern="No: {seq:03} {code}.{yy}",
        ),
        "Iraq PM.GE": dict(
            name="Permanent Mission of Iraq to the United Nations Office at Geneva",
            short_name="Permanent Mission of Iraq",
            name_ar="البعثة الدائمة لجمهورية العراق لدى مكتب الأمم المتحدة في جنيف",
            name_fr="la Mission permanente de l'Iraq auprès de l'Office des Nations Unies à Genève",
            name_es="la Misión Permanente del Iraq ante la Oficina de las Naciones Unidas en Ginebra",
            name_ru="Постоянное представительство Ирака при Отделении Организации Объединенных Наций в Женеве",
            name_zh_hans="伊拉克常驻联合国日内瓦办事处代表团",
            kind=Office.Kind.PRESIDENCY,
            state=State.objects.get(iso3="IRQ"),
            # Seed 002 as kept shows no letterhead lines (only the emblem, which an administrator uploads), a
            # “Ref:” subject line and no reference number.
            letterhead_lines="",
            prints_subject=True,
            subject_label="Ref:",
            date_format=Office.DateFormat.DAY2_MONTH_YEAR,
            date_with_city=False,
            email="mission.irq.geneva@example.org",
            city="Geneva",
            reference_pattern="",
        ),
        "ODA": dict(
            name="Office for Disarmament Affairs",
            short_name="UNODA",
            name_fr="le Bureau des affaires de désarmement",
            name_es="la Oficina de Asuntos de Desarme",
            name_ar="مكتب شؤون نزع السلاح",
            name_ru="Управление по вопросам разоружения",
            name_zh_hans="裁军事务厅",
            kind=Office.Kind.SECRETARIAT,
            state=None,
            # Seed 004: the headquarters line on top, “REFERENCE:”, the date under the closing formula.
            letterhead_lines="",
            header_lines="HEADQUARTERS | SIEGE | NEW YORK, NY 10017 TEL.: + 212 963 1234 | ccm@un.org",
            address="",
            phone="",
            email="ccm@un.org",
            city="New York",
            reference_pattern="{code}/{yyyy}-{seq:05}",
            reference_label="REFERENCE:",
            date_with_city=False,
            requires_approval=True,
        ),
        "APMBC ISU": dict(
            name="Implementation Support Unit, Anti-Personnel Mine Ban Convention",
            short_name="APMBC ISU",
            name_fr="l'Unité d'appui à l'application de la Convention sur l'interdiction des mines antipersonnel",
            # “para la Aplicación”, as in the Spanish reports of the States Parties (APLC/CONF/2009/9).
            name_es="la Dependencia de Apoyo para la Aplicación de la Convención sobre la Prohibición de Minas"
            " Antipersonal",
            name_ar="وحدة دعم التنفيذ لاتفاقية حظر الألغام المضادة للأفراد",
            name_ru="Группа имплементационной поддержки Конвенции о запрещении противопехотных мин",
            name_zh_hans="《禁止杀伤人员地雷公约》执行支助股",
            kind=Office.Kind.SUPPORT_UNIT,
            state=None,
            # Seed 003: no letterhead on top, the unit's footer at the foot of the first page, no reference number.
            letterhead_lines="",
            footer_lines="**Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
            "Anti-Personnel Mines and on Their Destruction**\n"
            "isu@apminebanconvention.org | www.apminebanconvention.org",
            address="",
            email="isu@apminebanconvention.org",
            date_with_city=False,
            city="Geneva",
            reference_pattern="",
        ),
    }
    return {code: Office.objects.update_or_create(code=code, defaults=values)[0] for code, values in offices.items()}


def _pdf(title: str, symbol: str) -> bytes:
    from weasyprint import HTML

    html = f"<h1 style='font-family: Noto Sans'>{symbol}</h1><p style='font-family: Noto Sans'>{title}</p>"
    return HTML(string=html).write_pdf()


def _meeting(slug: str, *, officers=(), links=(), documents=(), supporters=(), **fields) -> Meeting:
    meeting, _ = Meeting.objects.update_or_create(slug=slug, defaults=fields)
    if supporters:
        meeting.supporting_organisations.set(Organisation.objects.filter(acronym__in=supporters))
    for officer in officers:
        key = {k: officer[k] for k in ("role", "since") if k in officer}
        Officer.objects.update_or_create(meeting=meeting, **key, defaults=officer)
    for label, url in links:
        MeetingLink.objects.update_or_create(meeting=meeting, url=url, defaults={"label": label})
    for symbol, title, kind in documents:
        document, _ = Document.objects.update_or_create(
            symbol=symbol, language="en", defaults={"meeting": meeting, "title": title, "kind": kind}
        )
        if not document.file:
            document.file.save(f"{slug}.pdf", ContentFile(_pdf(title, symbol)), save=True)
    return meeting


def _meetings() -> None:
    ccm, apmbc = Treaty.objects.get(code="CCM"), Treaty.objects.get(code="APMBC")
    lao, iraq, alb = (State.objects.get(iso3=c) for c in ("LAO", "IRQ", "ALB"))
    che, lbn, mex = (State.objects.get(iso3=c) for c in ("CHE", "LBN", "MEX"))
    held = Meeting.Status.HELD

    # Seed 001: the briefing by the incoming Lao presidency.
    _meeting(
        "ccm-briefing-2010-03-17",
        treaty=ccm,
        kind=Meeting.Kind.BRIEFING,
        title="Briefing by the incoming Presidency of the First Meeting of States Parties",
        start_date=dt.date(2010, 3, 17),
        end_date=dt.date(2010, 3, 17),
        start_time=dt.time(15, 0),
        city="Geneva",
        country=che,
        venue="Palais des Nations",
        room="CD Council Chamber",
        status=held,
        rsvp_contact="Mr. Khonepheng THAMMAVONG",
        rsvp_email="Khone.tham@gmail.com",
        rsvp_by=dt.date(2010, 3, 15),
        description=(
            "The 30 ratifying States are asked to come with a representative prepared to sign a letter to the "
            "depositary on convening the 1MSP, and States are invited to act as friends of the incoming Presidency."
        ),
        officers=[
            dict(
                role=Officer.Role.PRESIDENT_DESIGNATE,
                state=lao,
                person_name="Yong Chanthalangsy",
                person_title="Ambassador, Permanent Representative of the Lao PDR in Geneva",
                since=dt.date(2009, 12, 2),
            )
        ],
    )
    # Seeds 000/001: the 1MSP in Vientiane and its preparatory meeting.
    msp1 = _meeting(
        "ccm-1msp-vientiane-2010",
        treaty=ccm,
        kind=Meeting.Kind.MSP,
        number=1,
        title="First Meeting of States Parties to the Convention on Cluster Munitions",
        title_fr="Première Assemblée des États parties à la Convention sur les armes à sous-munitions",
        title_es="Primera Reunión de los Estados Partes en la Convención sobre Municiones en Racimo",
        title_ar="الاجتماع الأول للدول الأطراف في اتفاقية الذخائر العنقودية",
        title_ru="Первое совещание государств-участников Конвенции по кассетным боеприпасам",
        title_zh_hans="《集束弹药公约》第一次缔约国会议",
        start_date=dt.date(2010, 11, 9),
        end_date=dt.date(2010, 11, 12),
        city="Vientiane",
        country=lao,
        host_state=lao,
        status=held,
        description="Adopted the Vientiane Declaration and the Vientiane Action Plan.",
        officers=[
            dict(
                role=Officer.Role.PRESIDENT_DESIGNATE,
                state=lao,
                person_name="H.E. Dr. Thongloun Sisoulith",
                person_title="Deputy Prime Minister and Minister of Foreign Affairs of the Lao PDR",
                since=dt.date(2009, 12, 2),
                until=dt.date(2010, 11, 9),
            ),
            dict(
                role=Officer.Role.PRESIDENT,
                state=lao,
                person_name="H.E. Dr. Thongloun Sisoulith",
                person_title="Deputy Prime Minister and Minister of Foreign Affairs of the Lao PDR",
                since=dt.date(2010, 11, 9),
            ),
        ],
        links=[("Convention on Cluster Munitions", "https://www.clusterconvention.org")],
    )
    _meeting(
        "ccm-1msp-preparatory-2010",
        treaty=ccm,
        kind=Meeting.Kind.PREPARATORY,
        title="Preparatory Meeting for the First Meeting of States Parties",
        preparatory_for=msp1,
        start_date=dt.date(2010, 9, 6),
        end_date=dt.date(2010, 9, 10),
        dates_note="the week of 6 September 2010",
        city="Geneva",
        country=che,
        status=held,
    )
    # Seed 000: the intersessional meeting announced by the 1MSP President.
    _meeting(
        "ccm-intersessional-2011",
        treaty=ccm,
        kind=Meeting.Kind.INTERSESSIONAL,
        title="Intersessional Meeting of the Convention on Cluster Munitions",
        start_date=dt.date(2011, 6, 27),
        end_date=dt.date(2011, 6, 30),
        city="Geneva",
        country=che,
        venue="World Meteorological Organization building",
        venue_address="Avenue de la Paix 7bis, Geneva",
        registration_opens=dt.date(2011, 5, 9),
        status=held,
        supporters=["UNDP", "GICHD"],
        description=(
            "Discussion on progress in implementing the Convention ahead of the 2MSP, and development of the "
            "Beirut Progress Report with the Friends of the President."
        ),
        officers=[
            dict(
                role=Officer.Role.PRESIDENT,
                state=lao,
                person_name="H.E. Dr. Thongloun Sisoulith",
                person_title="President of the 1st Meeting of States Parties",
                since=dt.date(2010, 11, 9),
            ),
        ],
        links=[
            ("Registration", "http://www.ccm-registration.org"),
            ("Convention on Cluster Munitions", "http://www.clusterconvention.org"),
        ],
    )
    _meeting(
        "ccm-2msp-beirut-2011",
        treaty=ccm,
        kind=Meeting.Kind.MSP,
        number=2,
        title="Second Meeting of States Parties to the Convention on Cluster Munitions",
        title_fr="Deuxième Assemblée des États parties à la Convention sur les armes à sous-munitions",
        title_es="Segunda Reunión de los Estados Partes en la Convención sobre Municiones en Racimo",
        title_ar="الاجتماع الثاني للدول الأطراف في اتفاقية الذخائر العنقودية",
        title_ru="Второе совещание государств-участников Конвенции по кассетным боеприпасам",
        title_zh_hans="《集束弹药公约》第二次缔约国会议",
        start_date=dt.date(2011, 9, 12),
        end_date=dt.date(2011, 9, 16),
        city="Beirut",
        country=lbn,
        host_state=lbn,
        status=held,
        officers=[dict(role=Officer.Role.PRESIDENT, state=lbn, since=dt.date(2011, 9, 12))],
    )
    # Seed 003: the APMBC Standing Committees, 2011.
    _meeting(
        "apmbc-standing-committees-2011",
        treaty=apmbc,
        kind=Meeting.Kind.COMMITTEE,
        title="Meetings of the Standing Committees (Intersessional Work Programme 2011)",
        start_date=dt.date(2011, 6, 20),
        end_date=dt.date(2011, 6, 24),
        city="Geneva",
        country=che,
        venue="Geneva International Centre for Humanitarian Demining (GICHD)",
        venue_address="Avenue de la Paix 7bis (WMO Building), Geneva",
        registration_deadline=dt.date(2011, 6, 13),
        rsvp_contact="Implementation Support Unit",
        rsvp_email="isu@apminebanconvention.org",
        status=held,
        supporters=["GICHD"],
        description=(
            "Second opportunity after the Second Review Conference to discuss the Cartagena Action Plan "
            "2010-2014. The new Standing Committee on Resources, Cooperation and Assistance meets on 24 June."
        ),
        officers=[
            dict(
                role=Officer.Role.PRESIDENT,
                state=alb,
                person_name="H.E. Gazmend Turdiu",
                person_title=(
                    "Secretary General of the Ministry of Foreign Affairs of Albania, "
                    "President of the Tenth Meeting of the States Parties"
                ),
                since=dt.date(2010, 11, 29),
            ),
        ],
        links=[("Anti-Personnel Mine Ban Convention", "http://www.apminebanconvention.org")],
    )
    # Seeds 002/004: the 11MSP under the Iraq presidency.
    _meeting(
        "ccm-11msp-geneva-2023",
        treaty=ccm,
        kind=Meeting.Kind.MSP,
        number=11,
        title="Eleventh Meeting of States Parties to the Convention on Cluster Munitions",
        title_fr="Onzième Assemblée des États parties à la Convention sur les armes à sous-munitions",
        title_es="Undécima Reunión de los Estados Partes en la Convención sobre Municiones en Racimo",
        title_ar="الاجتماع الحادي عشر للدول الأطراف في اتفاقية الذخائر العنقودية",
        title_ru="Одиннадцатое совещание государств-участников Конвенции по кассетным боеприпасам",
        title_zh_hans="《集束弹药公约》第十一次缔约国会议",
        start_date=dt.date(2023, 9, 11),
        end_date=dt.date(2023, 9, 14),
        city="Geneva",
        country=che,
        venue="Palais des Nations",
        room="Room XIX",
        delegation_details_deadline=dt.date(2023, 8, 31),
        status=held,
        description=(
            "Second year of implementing the Lausanne Action Plan. Article 7 transparency reports were due "
            "by 30 April 2023."
        ),
        officers=[
            dict(
                role=Officer.Role.PRESIDENT,
                state=iraq,
                person_name="H.E. Mr. Abdul-Karim Hashim Mostafa",
                person_title="Ambassador and Permanent Representative of Iraq to the United Nations Office in Geneva",
                since=dt.date(2022, 8, 30),
            ),
        ],
        links=[
            ("11MSP page (CCM ISU)", "https://www.clusterconvention.org/11msp-int/"),
            ("11MSP documents (UNODA)", "https://meetings.unoda.org/meeting/68085/documents"),
        ],
        documents=[
            ("CCM/MSP/2023/1", "Provisional agenda", Document.Kind.PROVISIONAL_AGENDA),
            ("CCM/MSP/2023/2", "Provisional annotated programme of work", Document.Kind.PROGRAMME_OF_WORK),
        ],
    )
    _meeting(
        "ccm-12msp-geneva-2024",
        treaty=ccm,
        kind=Meeting.Kind.MSP,
        number=12,
        title="Twelfth Meeting of States Parties to the Convention on Cluster Munitions",
        title_fr="Douzième Assemblée des États parties à la Convention sur les armes à sous-munitions",
        title_es="Duodécima Reunión de los Estados Partes en la Convención sobre Municiones en Racimo",
        title_ar="الاجتماع الثاني عشر للدول الأطراف في اتفاقية الذخائر العنقودية",
        title_ru="Двенадцатое совещание государств-участников Конвенции по кассетным боеприпасам",
        title_zh_hans="《集束弹药公约》第十二次缔约国会议",
        start_date=dt.date(2024, 9, 10),
        end_date=dt.date(2024, 9, 13),
        city="Geneva",
        country=che,
        venue="Palais des Nations",
        status=held,
        officers=[dict(role=Officer.Role.PRESIDENT, state=mex, since=dt.date(2023, 9, 14))],
    )
    # Upcoming routine meetings, placed relative to today so the demo always has some.
    today = timezone.localdate()
    for offset, slug in ((20, "ccm-coordination-committee-next"), (50, "ccm-coordination-committee-after")):
        day = today + dt.timedelta(days=offset)
        _meeting(
            slug,
            treaty=ccm,
            kind=Meeting.Kind.COORDINATION,
            title=f"Coordination Committee meeting ({day:%B %Y})",
            start_date=day,
            end_date=day,
            start_time=dt.time(10, 0),
            city="Geneva",
            country=che,
            venue="Palais des Nations",
            status=Meeting.Status.PLANNED,
            description="Monthly coordination of the Presidency, Coordinators and ISU. Illustrative demo meeting.",
        )


def _accounts(offices: dict[str, Office]) -> dict:
    User = get_user_model()
    roles_sync()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.email, defaults={"email": account.email})
        if created or not user.check_password(account.password):
            user.set_password(account.password)
        user.is_staff = account.email.startswith(("secretariat", "presidency"))
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        # Named, as a real sign-up is: pages and e-mails greet the person, not an address.
        profile_update(
            user=user, first_name=account.first_name, last_name=account.last_name, affiliation=account.affiliation
        )
    users = {a.email.split("@")[0]: User.objects.get(username=a.email) for a in DEMO_ACCOUNTS}
    users["secretariat"].groups.add(Group.objects.get(name=SECRETARIAT))
    users["presidency"].groups.add(Group.objects.get(name=PRESIDENCY))
    offices["ODA"].members.add(users["secretariat"])
    offices["Iraq PM.GE"].members.add(users["presidency"])
    FocalPoint.objects.get_or_create(
        user=users["focalpoint"], state=State.objects.get(iso3="NOR"), defaults={"approved_at": timezone.now()}
    )
    return users


@dataclass
class DemoSummary:
    accounts: list[DemoAccount]
    totp: dict[str, str]
    invitation_link: str


@transaction.atomic
def demo_load() -> DemoSummary:
    _registry()
    _missions()
    offices = _offices()
    _meetings()
    users = _accounts(offices)
    templates_load()
    seed_letters_load(offices=offices, users=users)
    registration = registration_demo_load(users=users)
    obligations_demo_load(users=users)
    return DemoSummary(DEMO_ACCOUNTS, registration["totp"], registration["invitation_link"])
