"""The five seed letters (../shared/seeds) as issued notes, and reusable templates.

The seed letters are history: they are recorded as issued with their real
reference numbers and are not mailed again.
"""

import datetime as dt
from dataclasses import dataclass, field

from correspondence.models import AddresseeGroup, Form, IndividualAddressee, Note, NoteTemplate, ReferenceCounter
from correspondence.services import note_create, note_issue
from meetings.models import Document, Meeting
from treaties.models import PermanentMission

# Shared templates (no office): every office drafts from them, and copies one to change it.
# Paragraphs are separated by a blank line; a line holding only {% if %} or {% endif %} disappears.
# {{ meeting.when }} and {{ meeting.where }} carry their prepositions in the note's language:
# “on 23 December 2026 at 10:00” for a one-day meeting, “from 11 to 14 September 2023” for several days.
TEMPLATES = [
    {
        "name": "Invitation to a meeting",
        "form": Form.NOTE_VERBALE,
        "language": "en",
        "subject": "Invitation to the {{ meeting.title }}",
        "body": """{{ opening }} invite it to participate in the {{ meeting.title }}, to be held {{ meeting.when }}\
{% if meeting.where %} {{ meeting.where }}{% endif %}.

{% if meeting.registration_deadline %}Delegations are kindly requested to register online at \
{{ meeting.registration_link }} by {{ meeting.registration_deadline }}.{% else %}Further information, including the \
registration of delegations, is available at {{ meeting.registration_link }}.{% endif %}\
{% if meeting.delegation_details_deadline %} The details of delegations should be submitted by \
{{ meeting.delegation_details_deadline }}.{% endif %}
{% if enclosures %}

The following documents are enclosed: {% for e in enclosures %}{{ e.symbol }} ({{ e.title }})\
{% if not loop.last %}; {% endif %}{% endfor %}.
{% endif %}

{{ closing }}""",
    },
    {
        "name": "Invitation to a meeting",
        "form": Form.NOTE_VERBALE,
        "language": "fr",
        "subject": "Invitation : {{ meeting.title }}",
        "body": """{{ opening }} l'inviter à participer à la réunion « {{ meeting.title }} », qui se tiendra \
{{ meeting.when }}{% if meeting.where %} {{ meeting.where }}{% endif %}.

Les délégations sont priées de s'inscrire en ligne à l'adresse {{ meeting.registration_link }}\
{% if meeting.registration_deadline %} avant le {{ meeting.registration_deadline }}{% endif %}.\
{% if meeting.delegation_details_deadline %} La composition des délégations devrait être communiquée au plus tard \
le {{ meeting.delegation_details_deadline }}.{% endif %}
{% if enclosures %}

Les documents suivants sont joints à la présente note : {% for e in enclosures %}{{ e.symbol }} ({{ e.title }})\
{% if not loop.last %} ; {% endif %}{% endfor %}.
{% endif %}

{{ closing }}""",
    },
    {
        "name": "Invitation to a meeting",
        "form": Form.NOTE_VERBALE,
        "language": "es",
        "subject": "Invitación: {{ meeting.title }}",
        "body": """{{ opening }} invitarla a participar en la reunión «{{ meeting.title }}», que se celebrará \
{{ meeting.when }}{% if meeting.where %} {{ meeting.where }}{% endif %}.

Se ruega a las delegaciones que se inscriban en línea en {{ meeting.registration_link }}\
{% if meeting.registration_deadline %} a más tardar el {{ meeting.registration_deadline }}{% endif %}.\
{% if meeting.delegation_details_deadline %} La composición de las delegaciones deberá comunicarse a más tardar \
el {{ meeting.delegation_details_deadline }}.{% endif %}
{% if enclosures %}

Se adjuntan a la presente nota los siguientes documentos: {% for e in enclosures %}{{ e.symbol }} ({{ e.title }})\
{% if not loop.last %}; {% endif %}{% endfor %}.
{% endif %}

{{ closing }}""",
    },
    {
        "name": "Invitation to a meeting",
        "form": Form.NOTE_VERBALE,
        "language": "ar",
        "subject": "دعوة: {{ meeting.title }}",
        "body": """{{ opening }} تدعوها إلى المشاركة في «{{ meeting.title }}» المقرر عقده {{ meeting.when }}\
{% if meeting.where %} {{ meeting.where }}{% endif %}.

ويرجى من الوفود التسجيل عبر الموقع {{ meeting.registration_link }}\
{% if meeting.registration_deadline %} في موعد أقصاه {{ meeting.registration_deadline }}{% endif %}.
{% if enclosures %}

وتجدون طيه الوثائق التالية: {% for e in enclosures %}{{ e.symbol }}{% if not loop.last %}، {% endif %}{% endfor %}.
{% endif %}

{{ closing }}""",
    },
    {
        "name": "Letter of the President",
        "form": Form.LETTER,
        "language": "en",
        "subject": "{{ meeting.title }}",
        "body": """I have the honour to write to you regarding the {{ meeting.title }}, to be held {{ meeting.when }}\
{% if meeting.where %} {{ meeting.where }}{% endif %}.

{{ closing }}""",
    },
]


@dataclass
class SeedLetter:
    seed: str
    office: str
    meeting: str
    form: str
    issue_date: dt.date
    seq: int | None  # the real number where the letter has one; otherwise the office's next
    subject: str
    body: str
    groups: list[str] = field(default_factory=list)
    salutation: str = ""
    signatories: list[tuple[str, str]] = field(default_factory=list)
    individual: dict | None = None
    enclosures: list[str] = field(default_factory=list)


LAO_SIGNATORY = (
    "Yong Chanthalangsy",
    "Ambassador Permanent Representative of the Lao PDR\nto the United Nations in Geneva",
)

SEEDS = [
    SeedLetter(
        seed="001",
        office="Lao PM.GE",
        meeting="ccm-briefing-2010-03-17",
        form=Form.LETTER,
        issue_date=dt.date(2010, 3, 5),
        seq=26,
        subject="Briefing by the incoming Presidency of the 1MSP, {{ meeting.dates }}",
        individual={
            "person_name": "H.E. Mme Bente ANGELL-Hansen",
            "person_title": "Ambassador Permanent Representative",
            "mission_iso3": "NOR",
        },
        signatories=[("Yong CHANTHALANGSY", "Ambassador Permanent Representative")],
        body="""With reference to the UNGA resolution A/C.1/84/L.16 adopted in December 2009 welcoming the offer by the Lao People's Democratic Republic to host and preside over the First meeting of States Parties to the Convention on Cluster Munitions, I write to you in the capacity of incoming Presidency inviting your attendance at a briefing, Wednesday 17 March 2010 at 3:00pm at the {{ meeting.room }} in the {{ meeting.venue }}.

With the 30th instrument of ratification having been submitted to UN Secretary General it is my distinct pleasure to inform of the date of entry into force, 1st of August 2010 and, as request the cooperation of all 30 ratifying states in the preparation of a letter addressed to depositary of CCM, to convene the First Meeting of States at Vientiane on the suggested dates of 8-12 November 2010 and preparations for the same, a Preparatory Meeting in Geneva the week of 6 September 2010. I would ask that all 30 ratifying states come to the meeting on 17 March 2010 with a representative prepared to sign such a letter.

In this regard, I would also like to invite states to function as 'friends' to the incoming Presidency to collaborate on preparations for the 1MSP on a number of suggested substantive matters.

I hope that you will be able to honour us with your presence on this occasion, please also see document attached, including agenda, draft non-paper road map to the First Meeting of States Parties and draft discussion paper on possible outcome and decision of the 1MSP to CCM.

Please accept, Your Excellency, the assurances of my Highest Consideration.

Yours sincerely,

R.S.V.P. to {{ meeting.rsvp_contact }}, {{ meeting.rsvp_email }} by {{ meeting.rsvp_by }}""",
    ),
    SeedLetter(
        seed="000",
        office="Lao PM.GE",
        meeting="ccm-intersessional-2011",
        form=Form.LETTER,
        issue_date=dt.date(2011, 4, 18),
        seq=47,
        subject="Intersessional meeting on the CCM, {{ meeting.dates }}",
        groups=[AddresseeGroup.STATES_PARTIES, AddresseeGroup.SIGNATORIES, AddresseeGroup.OBSERVER_ORGANISATIONS],
        signatories=[LAO_SIGNATORY],
        body="""On behalf of my Deputy Prime Minister and Minister of Foreign Affairs, H.E. Dr. Thongloun Sisoulith, President of the 1st Meeting of States Parties to the Convention on Cluster Munitions, let me extend to you our sincere appreciation for contributing to the successful conclusion of the 1MSP held in Vientiane, 9-12 November 2010. The Convention continues to grow and with recent ratifications, 56 States are now Parties to the Convention.

You will recall that States Parties to the Convention decided to meet again informally in advance of the 2MSP scheduled for September in Beirut, Lebanon to discuss and gain clarity on progress in implementing the Convention in time for the Second Meeting of States Parties. To that end, I have the pleasure to extend to you our invitation to the Intersessional meeting on the CCM, {{ meeting.dates }} in {{ meeting.city }}.

The meeting, which is being organized with support from UNDP assisted by the Geneva International Centre for Humanitarian Demining, will take place in the {{ meeting.venue }}. Registration will open on {{ meeting.registration_opens }} and can be done on the following website: www.ccm-registration.org. Further information will also be available at the CCM website www.clusterconvention.org

Your participation would greatly contribute to the overall success of this meeting and reflect the continued support of your country to the global effort in putting an end to the unacceptable harm caused by cluster munitions.

Please accept the assurances of my highest consideration,

Yours Sincerely""",
    ),
    SeedLetter(
        seed="002",
        office="Iraq PM.GE",
        meeting="ccm-11msp-geneva-2023",
        form=Form.LETTER,
        issue_date=dt.date(2023, 8, 8),
        seq=None,
        subject="Information on the Eleventh Meeting of the States Parties ({{ meeting.short_code }})",
        salutation="Excellencies, dear colleagues,",
        groups=[
            AddresseeGroup.STATES_PARTIES,
            AddresseeGroup.SIGNATORIES,
            AddresseeGroup.STATES_NOT_PARTY,
            AddresseeGroup.OBSERVER_ORGANISATIONS,
        ],
        signatories=[
            (
                "Abdul-Karim HASHIM MOSTAFA",
                "Ambassador and Permanent Representative\nPermanent Mission of Iraq to the United Nations Office in "
                "Geneva\nPresident of the 11th Meeting of States Parties to the Convention on Cluster Munitions",
            )
        ],
        enclosures=["CCM/MSP/2023/1", "CCM/MSP/2023/2"],
        body="""I am honoured to address you in my capacity as the President of the 11th Meeting of States Parties to the Convention on Cluster Munitions ({{ meeting.short_code }}), which is scheduled to take place on the {{ meeting.dates }}, at the {{ meeting.venue }}, {{ meeting.room }}.

The {{ meeting.short_code }} is a significant event as it marks the second year of implementing the Lausanne Action Plan (LAP). As we approach the {{ meeting.short_code }}, it becomes imperative that this event serves as a pivotal platform to intensify the implementation of our shared goals.

Attached to this letter, you will find the provisional agenda as well as the provisional annotated programme of work of the {{ meeting.short_code }}.

We encourage you to regularly visit the following 11MSP webpages for the latest updates on documents and other important information: https://www.clusterconvention.org/11msp-int/ and https://meetings.unoda.org/meeting/68085/documents

Once again, I extend my sincere appreciation for your continued support and look forward to your active participation at the {{ meeting.short_code }}.

Yours sincerely,""",
    ),
    SeedLetter(
        seed="003",
        office="APMBC ISU",
        meeting="apmbc-standing-committees-2011",
        form=Form.LETTER,
        issue_date=dt.date(2011, 4, 20),
        seq=None,
        subject="Intersessional Work Programme, {{ meeting.dates }}",
        salutation="Excellencies, dear friends,",
        groups=[AddresseeGroup.STATES_PARTIES, AddresseeGroup.STATES_NOT_PARTY, AddresseeGroup.OBSERVER_ORGANISATIONS],
        signatories=[
            (
                "H.E. Gazmend Turdiu",
                "Secretary General of the Ministry of Foreign Affairs of Albania\n"
                "and President of the Tenth Meeting of the States Parties",
            ),
            (
                "Stephan Husy",
                "Ambassador and Director of the Geneva International Centre\nfor Humanitarian Demining",
            ),
        ],
        body="""On behalf of the Co-Chairs of the Standing Committees established by the Convention's States Parties, it is our pleasure to invite you to participate in the Convention's 2011 Intersessional Work Programme as follows: Meetings of the Standing Committees, {{ meeting.dates }}, {{ meeting.venue }}, {{ meeting.venue_address }}.

These meetings will provide the second opportunity following the Second Review Conference to discuss the application of the Cartagena Action Plan 2010-2014.

In keeping with past practice, the Co-Chairs wish to again emphasise the importance of participation by States Parties that are in the process of clearing mined areas, destroying stockpiled mines, assisting survivors or implementing other aspects of the Convention.

We would kindly ask that you register for the June meetings on-line at www.apminebanconvention.org by {{ meeting.registration_deadline }}. Should you have any questions about the agendas or if you wish to indicate in advance your intention to intervene on particular items, please contact the Implementation Support Unit ({{ meeting.rsvp_email }}) or relevant Co-Chairs.

We look forward to seeing you in June.

Yours sincerely,""",
    ),
    SeedLetter(
        seed="004",
        office="ODA",
        meeting="ccm-11msp-geneva-2023",
        form=Form.NOTE_VERBALE,
        issue_date=dt.date(2023, 3, 21),
        seq=50,
        subject="Eleventh Meeting of States Parties to the Convention on Cluster Munitions",
        groups=[AddresseeGroup.ALL_MISSIONS],
        body="""{{ opening }} refer to the 2008 Convention on Cluster Munitions (hereinafter the Convention) and to resolution 77/79 entitled "Implementation of the Convention on Cluster Munitions", adopted by the General Assembly on 7 December 2022.

By operative paragraph 9 of the resolution, the General Assembly requested the Secretary-General to continue to convene the Meetings of States Parties to the Convention and to continue to render the necessary assistance and to provide such services as may be necessary to fulfil the tasks entrusted to him under the Convention and in the relevant decisions of the Meetings of States Parties and the second Review Conference.

The Secretary-General has the honour to convene the {{ meeting.title }} from {{ meeting.dates }} at the {{ meeting.venue }} in {{ meeting.city }}, Switzerland, and to invite the participation of all States Parties to the Convention. The Secretary-General also has the honour to invite States not parties to the Convention to participate in the Eleventh Meeting of States Parties as Observers.

Please note that in accordance with Article 14, paragraph 1, of the Convention, "the costs of the Meetings of States Parties […] shall be borne by the States parties and States not party to this Convention participating therein, in accordance with the United Nations scale of assessment adjusted appropriately".

The details of delegations to the Eleventh Meeting should be submitted by Friday, {{ meeting.delegation_details_deadline }}, to the Secretary of the Eleventh Meeting of States Parties to the Convention, at the following address: Office for Disarmament Affairs, Geneva Branch, United Nations Office at Geneva, Palais des Nations, Building H, Second Floor, WP.24, CH-1211 Geneva 10, Switzerland. E-Mail: ccm@un.org

Please note that the General Assembly, by operative paragraph 4 of its resolution 77/79, urges all States parties to provide the Secretary-General with complete and timely information as required under article 7 of the Convention in order to promote transparency and compliance with the Convention. This information should be directed to the Office for Disarmament Affairs at the address indicated above no later than 30 April 2023.

{{ closing }}""",
    ),
]


def templates_load() -> None:
    for data in TEMPLATES:
        NoteTemplate.objects.update_or_create(name=data["name"], language=data["language"], office=None, defaults=data)


def seed_letters_load(*, offices: dict, users: dict) -> None:
    for seed in SEEDS:
        office = offices[seed.office]
        if Note.objects.filter(office=office, issue_date=seed.issue_date, status=Note.Status.ISSUED).exists():
            continue
        meeting = Meeting.objects.get(slug=seed.meeting)
        drafter = users["secretariat"]
        note = note_create(
            office=office,
            created_by=drafter,
            meeting=meeting,
            form=seed.form,
            language="en",
            subject=seed.subject,
            body=seed.body,
            salutation=seed.salutation,
            addressee_groups=list(seed.groups),
        )
        note.enclosures.set(Document.objects.filter(symbol__in=seed.enclosures, language="en"))
        for position, (name, title) in enumerate(seed.signatories):
            note.signatories.create(name=name, title=title, position=position)
        if seed.individual:
            mission = PermanentMission.objects.get(state__iso3=seed.individual["mission_iso3"], city="Geneva")
            IndividualAddressee.objects.create(
                note=note,
                person_name=seed.individual["person_name"],
                person_title=seed.individual["person_title"],
                mission=mission,
            )
        if seed.seq is not None:
            # Take the archive's real number: the office's counter stands just before it.
            counter, _ = ReferenceCounter.objects.get_or_create(office=office, year=seed.issue_date.year)
            counter.last_seq = max(counter.last_seq, seed.seq - 1)
            counter.save()
        if office.requires_approval:
            note.status, note.approved_by = Note.Status.APPROVED, users["presidency"]
            note.save(update_fields=["status", "approved_by"])
        note_issue(note=note, user=drafter, issue_date=seed.issue_date, sent_elsewhere=True)
