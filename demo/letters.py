"""The five seed letters (docs/seeds) as issued notes, and reusable templates.

The seed letters are history: they are recorded as issued with their real
reference numbers and are not mailed again.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from correspondence.models import AddresseeGroup, Form, IndividualAddressee, Note, NoteTemplate, ReferenceCounter
from correspondence.services import note_create, note_issue, note_save
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
    """One of the five seed letters as written: the wording in rich text, and what its layout needs."""

    seed: str
    office: str
    meeting: str
    form: str
    issue_date: dt.date
    seq: int | None  # the real number where the letter has one; otherwise the office's next (never printed)
    subject: str
    body: str
    groups: list[str] = field(default_factory=list)
    salutation: str = ""
    signatories: list[tuple[str, str]] = field(default_factory=list)
    individual: dict | None = None
    enclosures: list[str] = field(default_factory=list)
    addressee_block: str = ""
    letterhead_lines: str = ""
    footer_lines: str = ""
    dateline: str = ""
    postscript: str = ""


# Seed 001's two annexes, enclosed with it as meeting documents of the briefing.
NON_PAPERS = [
    {
        "symbol": "Lao PDR non-paper 1 (February 2010)",
        "title": "Draft non-paper: Discussion paper on possible outcomes and decisions of the First Meeting of "
        "States Parties to the Convention on Cluster Munitions",
        "body": """**DRAFT NON-PAPER**

**Discussion paper on possible outcomes and decisions of the First Meeting of States Parties to the Convention on Cluster Munitions**

Circulated to all interested states by the government of the Lao PDR

February 2010

Based on the practical and political requirements for ensuring the ongoing success of the Convention on Cluster Munitions (CCM), the following elements could be considered as procedural and substantive outcomes or decisions at the First Meeting of States Parties to the Convention on Cluster Munitions (1MSP):

- Agreement on an ambitious political declaration – ‘*the Vientiane Declaration*’ – reaffirming States Parties’ commitment to the CCM and to be signed by high level delegates and heads of delegations of States Parties participating in the 1MSP;
- Agreement on a ‘*Vientiane Action Plan*’ that maps out an overall strategy for the coming 5-year review cycle of the CCM; this strategy should include clear objectives, priorities and specific outputs as well provide benchmarks on how the treaty should be implemented and how progress can be measured;
- Agreement on elements related to a concrete programme of work for 2011, including:
  - where and when the Second Meeting of States Parties (2MSP) will take place;
  - the way States Parties, civil society and international organisations will organise their work in the run up to the 2MSP in 2011;
  - in this regard, which formal and informal mechanisms will be developed to ensure that discussion is taken forward on the implementation of the Convention and the ‘*Vientiane Action Plan*’;
  - formal and informal mechanisms to coordinate efforts by States Parties, civil society and international organisations to promote universal adherence to the CCM;
  - formal and informal mechanisms for ensuring coherence and mutual reinforcement between implementation work on the Convention on Cluster Munitions, the Antipersonnel Mine Ban Convention and the Convention on the Rights of Persons with Disabilities;
  - formal and informal mechanisms for continuing dialogue on matters under the Convention that may benefit from the development of common understandings.
- Agreement on formats for annual reports under Article 7 and mechanisms to support countries in submitting reports and to make them publicly available;
- Procedural decisions, including:
  - Election of the President and other office holders for the 1MSP;
  - Adoption of the rules of procedure for the 1MSP;
  - Adoption of the agenda for the 1MSP;
  - Adoption of the programme of work for the 1MSP;""",
    },
    {
        "symbol": "Lao PDR non-paper 2 (February 2010)",
        "title": "Draft non-paper: Roadmap to the First Meeting of States Parties to the Convention on Cluster Munitions",
        "body": """**DRAFT NON-PAPER**

**Roadmap to the First Meeting of States Parties to the Convention on Cluster Munitions**

**Circulated to all interested states by the government of the Lao PDR following the 30^th^ ratification of the Convention on Cluster Munitions**

**February 2010**

The government of the Lao PDR is grateful to the member states of the United Nations for adopting by consensus General Assembly resolution A/RES/64/36 on 2 December 2009 welcoming the offer of the Lao PDR to host the First Meeting of the States Parties to the Convention on Cluster Munitions following its entry into force. With the 30^th^ ratification having been deposited at the United Nations on 17 February 2010, the Convention will enter into force on 1 August 2010. The Lao PDR has made arrangements to host the First Meeting in Vientiane, Lao PDR, from 8-12 November 2010. More details on arrangements for the First Meeting will be available in due course.

The government of the Lao PDR encourages all states to sign and ratify the Convention on Cluster Munitions without delay and, after the day of entry into force, to accede to the Convention in advance of the First Meeting of the States Parties.

The government of the Lao PDR further invites all interested states and organisations to:

- undertake regional work to support signature and ratification of and accession to the Convention on Cluster Munitions, including at a regional meeting to be held in South Africa on 25-26 March 2010;
- meet before the First Meeting of States Parties, including at an open-ended working meeting to be hosted by Chile from 7-9 June 2010, where states can:
  - discuss efforts to promote universal adherence to the Convention;
  - exchange views on all aspects of the Convention, in particular cooperation and assistance; and,
  - discuss and prepare the substantive and procedural work of the First Meeting of States Parties;
- celebrate the day of entry into force on Sunday 1 August 2010, being the first day of the sixth month after the month in which the 30^th^ ratification is deposited;
- use all opportunities available to them to promote adherence to and implementation of the Convention bilaterally and in all relevant multilateral fora;
- coordinate their work to promote universal adherence to the Convention on Cluster Munitions by sharing information through regular coordination meetings based on a common set of objectives and priorities for universalisation with a view to attracting the maximum number of states having consent to be bound by the Convention before the First Meeting of States Parties;
- continue and further develop the effective partnerships with all relevant organisations, including the United Nations, the ICRC and the Cluster Munition Coalition in their work towards the First Meeting of the States Parties.

**Agenda:**

- Dates for the 1MSP, Suggested at Vientiane, 8-12 November 2010
- Dates for preparatory Meeting at Geneva, 6 September 2010
- Informal invitation and request of volunteers for function as friends of incoming presidency on preparations in advance of 1MSP""",
    },
]

# The five letters word for word (docs/seeds), with the formatting the seeds show. They are recorded history:
# the wording is the letters' own text, not placeholders, except where a placeholder gives the very same words.
SEEDS = [
    SeedLetter(
        seed="001",
        office="Lao PM.GE",
        meeting="ccm-briefing-2010-03-17",
        form=Form.LETTER,
        issue_date=dt.date(2010, 3, 5),
        seq=26,
        subject="Briefing by the incoming Presidency of the 1MSP, {{ meeting.dates }}",
        # The 2010 letterhead: its Lao line differs from the 2011 one (seed 000).
        letterhead_lines="""Lao People's Democratic Republic
Peace Independence Democracy Unity Prosperity
Permanent Mission of the Lao PDR
to the United Nations Offices and other
International Organizations at Geneva
ສໍານັກງານຕັດສິນສາກົນ ສປປລາວ
ປະຈຳຫ້ອງການ ສປຊ ແລະອົງການຈັດຕັ້ງ
ສາກົນອື່ນໆ ທີ່ ເຊີແນວ""",
        dateline="Geneva , March 5, 2010",
        individual={
            "person_name": "H.E. Mme Bente ANGELL-Hansen",
            "person_title": "Ambassador Permanent Representative",
            "mission_iso3": "NOR",
            "mission_name": "Permanent Mission of Norway to UNO in Geneva",
        },
        signatories=[("Yong CHANTHALANGSY", "Ambassador Permanent Representative")],
        enclosures=[paper["symbol"] for paper in NON_PAPERS],
        body="""With reference to the UNGA resolution A/C.1/84/L.16 adopted in December 2009 welcoming the offer by the Lao People's Democratic Republic to host and preside over the First meeting of States Parties to the Convention on Cluster Munitions, I write to you in the incoming capacity of incoming Presidency inviting your attendance at a briefing, **Wednesday 17 March 2010 at 3:00pm at the {{ meeting.room }} in the {{ meeting.venue }}**

With the 30^th^ instrument of ratification having been submitted to UN Secretary General it is my distinct pleasure to inform of the date of entry into force, 1^st^ of August 2010 and, as request the cooperation of all 30 ratifying states in the preparation of a letter addressed to depositary of CCM, to convene the First Meeting of States at Vientiane on the suggested dates of 8-12 November 2010 and preparations for the same, a Preparatory Meeting in Geneva the week of 6 September 2010. I would ask that all 30 ratifying states come to the meeting on 17 March 2010 with a representative prepared to sign such a letter.

In this regard, I would also like to invite states to function as ' friends' to the incoming Presidency to collaborate on preparations for the 1MSP on a number of suggested substantive matters, i.e. procedural matters, universalization coordination, a Vientiane Action Plan, a 2011 Programme of work, elements for reporting formats on stockpiles destruction, on contamination, clearance and risk education, on victim assistance, on cooperation and assistance and on national implementation measures and drafting of a Vientiane political declaration.

I hope that you will be able to honour us with your presence on this occasion, please also see document attached, including agenda, draft non - paper road map to the First Meeting of States Parties and draft discussion paper on possible outcome and decision of the 1MSP to CCM.

Please accept, Your Excellency, the assurances of my Highest Consideration

Yours sincerely""",
        postscript="""R.S.V.P. to {{ meeting.rsvp_contact }}.
[Khone.tham@gmail.com](mailto:Khone.tham@gmail.com) by 15 March 2010""",
    ),
    SeedLetter(
        seed="000",
        office="Lao PM.GE",
        meeting="ccm-intersessional-2011",
        form=Form.LETTER,
        issue_date=dt.date(2011, 4, 18),
        seq=47,
        subject="Intersessional meeting on the CCM, {{ meeting.dates }}",
        groups=[
            AddresseeGroup.STATES_PARTIES,
            AddresseeGroup.SIGNATORIES,
            AddresseeGroup.STATES_NOT_PARTY,
            AddresseeGroup.INTERESTED_ORGANISATIONS,
        ],
        addressee_block="""The States Parties to CCM The CCM signatory States and observer States, and other interested organizations
Geneva""",
        signatories=[
            (
                "Yong Chanthalangsy",
                "Ambassador Permanent Representative of the Lao\nPDR to the United Nations in Geneva",
            )
        ],
        body="""On behalf of my Deputy Prime Minister and Minister of Foreign Affairs, H.E. Dr. Thongloun Sisoulith, President of the 1st Meeting of States Parties to the Convention on Cluster Munitions, let me extend to you our sincere appreciation for contributing to the successful conclusion of the 1MSP held in Vientiane, 9-12 November 2010. The Convention continues to grow and with recent ratifications, 56 States are now Parties to the Convention.

You will recall that States Parties to the Convention decided to meet again informally in advance of the 2MSP scheduled for September in Beirut, Lebanon to discuss and gain clarity on progress in implementing the Convention in time for the Second Meeting of States Parties. Further to this, we welcome your contributions to the development of the Beirut Progress Report and encourage an active collaboration with the Friends of the President, States who have volunteered and which I have entrusted with the coordination of work under the various thematic areas of the Beirut Progress Report. To that end, I have the pleasure to extend to you our invitation to the Intersessional meeting on the CCM, **27-30 June 2011 in {{ meeting.city }}**, and I also wish to invite a representative of States Parties, Signatory States and Interested Organizations to take part in discussion on Clearance of cluster munitions remnants during the intersessional meeting under the convention in order to contribute to the development of the Beirut Progress Report (BPR).

The meeting, which is being organized with support from UNDP assisted by the Geneva International Centre for Humanitarian Demining, will take place in the World Meteorological Organization building. Registration will open on 9 May and can be done on the following website: www.ccm-registration.org. Further information will also be available at the CCM website www.clusterconvention.org

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
        # Printed as the groups' own wording (language.GROUP_LINES), which is this letter's.
        groups=[
            AddresseeGroup.STATES_PARTIES,
            AddresseeGroup.SIGNATORIES,
            AddresseeGroup.STATES_NOT_PARTY,
            AddresseeGroup.INTERESTED_ORGANISATIONS,
        ],
        signatories=[
            (
                "Abdul-Karim HASHIM MOSTAFA",
                "Ambassador and Permanent Representative\nPermanent Mission of Iraq to the United Nations Office in "
                "Geneva\nPresident of the 11th Meeting of States Parties to the Convention on Cluster Munitions",
            )
        ],
        enclosures=["CCM/MSP/2023/1", "CCM/MSP/2023/2"],
        body="""I am honoured to address you in my capacity as the President of the 11th Meeting of States Parties to the Convention on Cluster Munitions ({{ meeting.short_code }}), which is scheduled to take place on the 11th to 14th September 2023, at the {{ meeting.venue }}, {{ meeting.room }}.

The {{ meeting.short_code }} is a significant event as it marks the second year of implementing the Lausanne Action Plan (LAP). As we approach the {{ meeting.short_code }}, it becomes imperative that this event serves as a pivotal platform to intensify the implementation of our shared goals.

During the {{ meeting.short_code }}, States Parties will have a valuable opportunity to present their latest updates on the progress made in implementing the Convention since the 10MSP. This occasion will facilitate the exchange of best practices, insights into challenges faced and success stories, fostering a spirit of collaboration and mutual learning. Moreover, the {{ meeting.short_code }} will provide a platform for Signatories and States not Parties to report updates on their ongoing efforts towards accession or ratification of the Convention.

Attached to this letter, you will find the provisional agenda as well as the provisional annotated programme of work of the {{ meeting.short_code }}.

In the upcoming weeks, we will provide additional information on the {{ meeting.short_code }} to ensure your thorough preparation for the event. Therefore, we encourage you to regularly visit the following 11MSP webpages for the latest updates on documents and other important information:

<https://www.clusterconvention.org/11msp-int/>

<https://meetings.unoda.org/meeting/68085/documents>

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
        groups=[
            AddresseeGroup.STATES_PARTIES,
            AddresseeGroup.SIGNATORIES,
            AddresseeGroup.STATES_NOT_PARTY,
            AddresseeGroup.INTERESTED_ORGANISATIONS,
        ],
        addressee_block="""To: The Permanent Missions to the United Nations of the States Parties to the Convention
The Permanent Missions to the United Nations of the States not parties to the Convention
Interested non-governmental and international organizations""",
        footer_lines="""**Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines and on Their Destruction**
Intersessional Work Programme, 20-24 June 2011
isu@apminebanconvention.org | www.apminebanconvention.org""",
        signatories=[
            (
                "H.E. Gazmend Turdiu",
                "Secretary General of the Ministry of Foreign Affairs of Albania and President of the Tenth "
                "Meeting of the States Parties",
            ),
            ("Stephan Husy", "Ambassador and Director of the Geneva International Centre for Humanitarian Demining"),
        ],
        body="""On behalf of the Co-Chairs of the Standing Committees established by the Convention's States Parties, it is our pleasure to invite you to participate in the Convention's 2011 Intersessional Work Programme as follows:

::: centre
**Meetings of the Standing Committees
20-24 June 2011
Geneva International Centre for Humanitarian Demining (GICHD)
Avenue de la Paix 7bis (WMO Building), Geneva**
:::

These meetings will provide the second opportunity following the Second Review Conference to discuss the application of the *Cartagena Action Plan 2010-2014*. As such, they are intended to further build upon the momentum of Cartagena where the States Parties agreed to undertake 67 concrete actions "in support of enhanced implementation and promotion of the Convention" and pledged "to translate this action plan into sustainable progress."

In addition to the regular work of the four Standing Committees, the week of 20-24 June will also feature the following enhancements to the Intersessional Work Programme pursuant to decisions that were taken at the 2010 Tenth Meeting of the States Parties:

- The new Standing Committee on Resources, Cooperation and Assistance will meet for the first time, with a half-day meeting scheduled for 24 June.
- Time has been set aside on 23 June to experiment with new ways of carrying out the work of the Standing Committees. This will feature three concurrent informal small group meetings that will see the Convention's traditional spirit of partnership and cooperation channelled to focus on particular national contexts or on otherwise advancing the aims of the Cartagena Action Plan.

In keeping with past practice, the Co-Chairs wish to again emphasise the importance of participation by States Parties that are in the process of clearing mined areas, destroying stockpiled mines, assisting survivors or implementing other aspects of the Convention. As in the past, these States Parties are encouraged to provide brief updates on the basis of questions posed by Co-Chairs.

Also in keeping with past practice, the programme does not incorporate a general exchange of views. With a new fifth Standing Committee, it is more important than ever before that we get down to work the morning of 20 June, focusing on key aspects of implementation at that time and throughout the week.

We would kindly ask that you register for the June meetings on-line at www.apminebanconvention.org by 13 June 2011. Should you have any questions about the agendas or if you wish to indicate in advance your intention to intervene on particular items, please contact the Implementation Support Unit ({{ meeting.rsvp_email }}) or relevant Co-Chairs.

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
        # A circular note verbale names the whole group in its formulas, as the seed does, not each mission:
        # {{ addressees }} rather than the formulas {{ opening }} / {{ closing }}, which name the copy's mission.
        body="""The Office for Disarmament Affairs presents its compliments to {{ addressees }} and has the honour to refer to the 2008 Convention on Cluster Munitions (hereinafter the Convention) and to resolution 77/79 entitled "Implementation of the Convention on Cluster Munitions", adopted by the General Assembly on 7 December 2022.

By operative paragraph 9 of the resolution, the General Assembly requested the Secretary-General to continue to convene the Meetings of States Parties to the Convention and to continue to render the necessary assistance and to provide such services as may be necessary to fulfil the tasks entrusted to him under the Convention and in the relevant decisions of the Meetings of States Parties and the second Review Conference.

The Secretary-General has the honour to convene the {{ meeting.title }} from {{ meeting.dates }} at the {{ meeting.venue }} in {{ meeting.city }}, Switzerland, and to invite the participation of all States Parties to the Convention. The Secretary-General also has the honour to invite States not parties to the Convention to participate in the Eleventh Meeting of States Parties as Observers.

Please note that in accordance with Article 14, paragraph 1, of the Convention, "the costs of the Meetings of States Parties […] shall be borne by the States parties and States not party to this Convention participating therein, in accordance with the United Nations scale of assessment adjusted appropriately".

The details of delegations to the Eleventh Meeting should be submitted by Friday, {{ meeting.delegation_details_deadline }}, to the Secretary of the Eleventh Meeting of States Parties to the Convention, at the following address:

::: centre
Office for Disarmament Affairs, Geneva Branch
United Nations Office at Geneva
Palais des Nations, Building H, Second Floor, WP.24
CH-1211 Geneva 10
Switzerland

E-Mail: ccm@un.org

Website: https://meetings.unoda.org/ccm-msp/convention-on-cluster-munitions-eleventh-meeting-of-states-parties-2023
:::

Further information on the arrangements for the Meeting will be communicated to the Permanent Missions by the Secretariat of the Eleventh Meeting of States Parties in due course.

Please note that the General Assembly, by operative paragraph 4 of its resolution 77/79, urges all States parties to provide the Secretary-General with complete and timely information as required under article 7 of the Convention in order to promote transparency and compliance with the Convention. This information should be directed to the Office for Disarmament Affairs at the address indicated above no later than 30 April 2023.

The Office for Disarmament Affairs avails itself of this opportunity to renew to {{ addressees }} the assurances of its highest consideration.""",
    ),
]


def templates_load() -> None:
    for data in TEMPLATES:
        NoteTemplate.objects.update_or_create(name=data["name"], language=data["language"], office=None, defaults=data)


def _non_papers_load(meeting: Meeting) -> None:
    """Seed 001's annexes as documents of the briefing, each with its PDF, to be enclosed with the letter."""
    from correspondence.rendering import render_pdf
    from correspondence.richtext import to_html

    for paper in NON_PAPERS:
        document, created = Document.objects.get_or_create(
            meeting=meeting,
            symbol=paper["symbol"],
            language="en",
            defaults={"title": paper["title"], "kind": Document.Kind.NON_PAPER, "issued_on": dt.date(2010, 2, 1)},
        )
        if created or not document.file:
            html = f'<html lang="en"><head><title>{paper["title"]}</title></head><body><div class="note">'
            html += f"<div class='body'>{to_html(paper['body'])}</div></div></body></html>"
            name = paper["symbol"].lower().replace(" ", "-").replace("(", "").replace(")", "") + ".pdf"
            document.file.save(name, ContentFile(render_pdf(html)), save=True)


def seed_letters_load(*, offices: dict, users: dict) -> None:
    for seed in SEEDS:
        office = offices[seed.office]
        if Note.objects.filter(office=office, issue_date=seed.issue_date, status=Note.Status.ISSUED).exists():
            continue
        meeting = Meeting.objects.get(slug=seed.meeting)
        if seed.seed == "001":
            _non_papers_load(meeting)
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
        # The layout of this letter as kept; drafted in the admin, these are the note's own fields.
        note.addressee_block = seed.addressee_block
        note.letterhead_lines = seed.letterhead_lines
        note.footer_lines = seed.footer_lines
        note.dateline = seed.dateline
        note.postscript = seed.postscript
        note_save(note=note, user=drafter)
        note.enclosures.set(Document.objects.filter(symbol__in=seed.enclosures, language="en"))
        for position, (name, title) in enumerate(seed.signatories):
            note.signatories.create(name=name, title=title, position=position)
        if seed.individual:
            mission = PermanentMission.objects.get(state__iso3=seed.individual["mission_iso3"], city="Geneva")
            IndividualAddressee.objects.create(
                note=note,
                person_name=seed.individual["person_name"],
                person_title=seed.individual["person_title"],
                mission_name=seed.individual.get("mission_name", ""),
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
