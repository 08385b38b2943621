"""State names in the six UN languages: the shipped UN short names, the one helper that reads them, the missions
named in notes of each language, the participants list in the reader's language, and what the admin shows missing."""

import csv
import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

import treaties
from correspondence import language as lang
from correspondence.models import AddresseeGroup, Office
from correspondence.rendering import render_note
from correspondence.selectors import note_addressees
from meetings.models import Meeting
from registration import selectors as registration_selectors
from tests.correspondence import factories as correspondence_factories
from tests.factories import MeetingFactory, ParticipationFactory
from tests.registration.conftest import head, meeting, presiding_state, register  # noqa: F401 (fixtures)
from tests.treaties.factories import csv_bytes
from treaties.models import State
from treaties.services import registry_import

pytestmark = pytest.mark.django_db

STATES_CSV = Path(treaties.__file__).parent / "data" / "states.csv"

# The UN short names (UNTERM, M49) of every State the issue lists, in the six languages, by ISO code:
# (English, French, Spanish, Arabic, Russian, Chinese).
UN_SHORT_NAMES = {
    "BOL": (
        "Bolivia (Plurinational State of)",
        "Bolivie (État plurinational de)",
        "Bolivia (Estado Plurinacional de)",
        "بوليفيا (دولة - المتعددة القوميات)",
        "Боливия (Многонациональное Государство)",
        "多民族玻利维亚国",
    ),
    "IRN": (
        "Iran (Islamic Republic of)",
        "Iran (République islamique d')",
        "Irán (República Islámica del)",
        "إيران (جمهورية - الإسلامية)",
        "Иран (Исламская Республика)",
        "伊朗伊斯兰共和国",
    ),
    "FSM": (
        "Micronesia (Federated States of)",
        "Micronésie (États fédérés de)",
        "Micronesia (Estados Federados de)",
        "ميكرونيزيا (ولايات - الموحدة)",
        "Микронезия (Федеративные Штаты)",
        "密克罗尼西亚联邦",
    ),
    "NLD": (
        "Netherlands (Kingdom of the)",
        "Pays-Bas (Royaume des)",
        "Países Bajos (Reino de los)",
        "هولندا (مملكة -)",
        "Нидерланды (Королевство)",
        "荷兰王国",
    ),
    "KOR": (
        "Republic of Korea",
        "République de Corée",
        "República de Corea",
        "جمهورية كوريا",
        "Республика Корея",
        "大韩民国",
    ),
    "PRK": (
        "Democratic People's Republic of Korea",
        "République populaire démocratique de Corée",
        "República Popular Democrática de Corea",
        "جمهورية كوريا الشعبية الديمقراطية",
        "Корейская Народно-Демократическая Республика",
        "朝鲜民主主义人民共和国",
    ),
    "MDA": (
        "Republic of Moldova",
        "République de Moldova",
        "República de Moldova",
        "جمهورية مولدوفا",
        "Республика Молдова",
        "摩尔多瓦共和国",
    ),
    "TUR": ("Türkiye", "Türkiye", "Türkiye", "تركيا", "Тюркийе", "土耳其"),
    "GBR": (
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
        "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية",
        "Соединенное Королевство Великобритании и Северной Ирландии",
        "大不列颠及北爱尔兰联合王国",
    ),
    "TZA": (
        "United Republic of Tanzania",
        "République-Unie de Tanzanie",
        "República Unida de Tanzanía",
        "جمهورية تنزانيا المتحدة",
        "Объединенная Республика Танзания",
        "坦桑尼亚联合共和国",
    ),
    "VEN": (
        "Venezuela (Bolivarian Republic of)",
        "Venezuela (République bolivarienne du)",
        "Venezuela (República Bolivariana de)",
        "فنزويلا (جمهورية - البوليفارية)",
        "Венесуэла (Боливарианская Республика)",
        "委内瑞拉玻利瓦尔共和国",
    ),
    "VNM": ("Viet Nam", "Viet Nam", "Viet Nam", "فييت نام", "Вьетнам", "越南"),
    "PSE": (
        "State of Palestine",
        "État de Palestine",
        "Estado de Palestina",
        "دولة فلسطين",
        "Государство Палестина",
        "巴勒斯坦国",
    ),
    "VAT": ("Holy See", "Saint-Siège", "Santa Sede", "الكرسي الرسولي", "Святой Престол", "教廷"),
    "LAO": (
        "Lao People's Democratic Republic",
        "République démocratique populaire lao",
        "República Democrática Popular Lao",
        "جمهورية لاو الديمقراطية الشعبية",
        "Лаосская Народно-Демократическая Республика",
        "老挝人民民主共和国",
    ),
    "SYR": (
        "Syrian Arab Republic",
        "République arabe syrienne",
        "República Árabe Siria",
        "الجمهورية العربية السورية",
        "Сирийская Арабская Республика",
        "阿拉伯叙利亚共和国",
    ),
    "RUS": (
        "Russian Federation",
        "Fédération de Russie",
        "Federación de Rusia",
        "الاتحاد الروسي",
        "Российская Федерация",
        "俄罗斯联邦",
    ),
    "CIV": ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire", "كوت ديفوار", "Кот-д'Ивуар", "科特迪瓦"),
    "COD": (
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
        "República Democrática del Congo",
        "جمهورية الكونغو الديمقراطية",
        "Демократическая Республика Конго",
        "刚果民主共和国",
    ),
    "CZE": ("Czechia", "Tchéquie", "Chequia", "تشيكيا", "Чехия", "捷克"),
    "MKD": (
        "North Macedonia",
        "Macédoine du Nord",
        "Macedonia del Norte",
        "مقدونيا الشمالية",
        "Северная Македония",
        "北马其顿",
    ),
    "SWZ": ("Eswatini", "Eswatini", "Eswatini", "إسواتيني", "Эсватини", "斯威士兰"),
    "CPV": ("Cabo Verde", "Cabo Verde", "Cabo Verde", "كابو فيردي", "Кабо-Верде", "佛得角"),
    # A sample of names CLDR already gives as the UN does.
    "NOR": ("Norway", "Norvège", "Noruega", "النرويج", "Норвегия", "挪威"),
    "FRA": ("France", "France", "Francia", "فرنسا", "Франция", "法国"),
}
LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh"]


def shipped_states(*iso3s: str) -> None:
    """These rows of the shipped treaties/data/states.csv, imported as the demo loader imports it."""
    with STATES_CSV.open(encoding="utf-8", newline="") as file:
        header, *rows = csv.reader(file)
    wanted = [row for row in rows if row[header.index("iso3")] in iso3s] if iso3s else rows
    assert len(wanted) == len(iso3s) or not iso3s
    registry_import(kind="states", data=csv_bytes(header, wanted), file_format="csv")


def test_the_shipped_file_has_every_name_in_six_languages():
    with STATES_CSV.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for column in ("name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh"):
        assert [row["iso3"] for row in rows if not row[column].strip()] == [], column


@pytest.mark.parametrize("iso3", sorted(UN_SHORT_NAMES))
def test_loading_the_shipped_states_gives_the_un_short_names_in_six_languages(iso3):
    shipped_states(iso3)
    state = State.objects.get(iso3=iso3)

    assert tuple(state.name_in(code) for code in LANGUAGES) == UN_SHORT_NAMES[iso3]


def test_the_whole_shipped_registry_loads_with_chinese_in_its_modeltranslation_field():
    shipped_states()

    assert State.objects.filter(name_zh_hans__isnull=True).count() == 0
    assert State.objects.get(iso3="CHN").name_zh_hans == "中国"


def test_the_helper_falls_back_to_english_where_a_translation_is_missing():
    state = State.objects.create(iso2="XA", iso3="XAA", iso_numeric="901", name_en="Testland", name_fr="Terre")

    assert state.name_in("fr") == "Terre"
    assert state.name_in("ar") == state.name_in("zh") == state.name_in("ru") == "Testland"
    assert state.name_in("xx") == "Testland"  # an unknown language: English


def test_the_interface_language_does_not_change_what_the_helper_reads():
    shipped_states("NOR")
    state = State.objects.get(iso3="NOR")

    with translation.override("zh-hans"):
        assert state.name == "挪威"  # modeltranslation's field follows the interface …
        assert state.name_in("ru") == "Норвегия"  # … the helper follows the document's language


@pytest.mark.parametrize(
    ("iso3", "language", "expected"),
    [
        ("NOR", "ar", "البعثة الدائمة للنرويج"),
        ("FRA", "ar", "البعثة الدائمة لفرنسا"),
        ("KOR", "ar", "البعثة الدائمة لجمهورية كوريا"),
        ("NOR", "ru", "Постоянное представительство Норвегии"),
        ("RUS", "ru", "Постоянное представительство Российской Федерации"),
        ("KOR", "ru", "Постоянное представительство Республики Корея"),
        ("IRN", "ru", "Постоянное представительство Ирана (Исламской Республики)"),
        ("GBR", "ru", "Постоянное представительство Соединенного Королевства Великобритании и Северной Ирландии"),
        ("VAT", "ru", "Постоянное представительство Святого Престола"),
        ("NOR", "zh", "挪威常驻代表团"),
        ("VAT", "zh", "教廷常驻代表团"),
        ("VAT", "en", "Permanent Mission of the Holy See"),
        ("NOR", "en", "Permanent Mission of Norway"),
        ("VAT", "fr", "Mission permanente du Saint-Siège"),
        ("VAT", "es", "Misión Permanente de la Santa Sede"),
    ],
)
def test_the_mission_is_named_in_the_language_of_the_note(iso3, language, expected):
    shipped_states(iso3)

    assert lang.mission_of(State.objects.get(iso3=iso3), language) == expected


@pytest.mark.parametrize(
    ("language", "mission", "opening"),
    [
        ("ar", "البعثة الدائمة للنرويج", "تهدي أطيب تحياتها إلى"),
        (
            "ru",
            "Постоянное представительство Норвегии",
            "свидетельствует своё уважение Постоянному представительству Норвегии",
        ),
        ("zh", "挪威常驻代表团", "向挪威常驻代表团致意"),
        (
            "en",
            "Permanent Mission of the Holy See",
            "presents its compliments to the Permanent Mission of the Holy See",
        ),
    ],
)
def test_a_note_names_the_mission_in_its_language(secretariat, language, mission, opening):
    iso3 = "VAT" if language == "en" else "NOR"
    shipped_states(iso3)  # without a mission in the registry: the name comes from the State's
    office = correspondence_factories.OfficeFactory()
    note = correspondence_factories.draft(office, secretariat, language=language, groups=[AddresseeGroup.ALL_MISSIONS])

    addressees = note_addressees(note, at=dt.date(2026, 1, 1))

    assert [a.name for a in addressees] == [mission]
    text = render_note(note, addressees[0]).text
    assert opening in text.replace("\u2068", "").replace("\u2069", "")  # Arabic isolates the names


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Norway", "Republic of Korea", "Viet Nam"]),
        ("fr", ["Norvège", "République de Corée", "Viet Nam"]),
        ("es", ["Noruega", "República de Corea", "Viet Nam"]),
        ("ar", ["النرويج", "جمهورية كوريا", "فييت نام"]),
        ("ru", ["Вьетнам", "Норвегия", "Республика Корея"]),
        ("zh", ["大韩民国", "挪威", "越南"]),
    ],
)
def test_the_participants_list_names_states_in_the_readers_language(meeting, secretariat, language, names):  # noqa: F811
    shipped_states("NOR", "KOR", "VNM")
    for iso3 in ("NOR", "KOR", "VNM"):
        state = State.objects.get(iso3=iso3)
        ParticipationFactory(state=state)
        register(meeting, secretariat, [head(f"Head{iso3}")], state=state, approve_by=secretariat)

    listed = registration_selectors.participants(meeting=meeting, language=language)
    assert [entry.party_name for entry in listed] == names

    # Without a language, the reader's interface language decides (Chinese: “zh-hans”).
    interface = {"zh": "zh-hans"}.get(language, language)
    with translation.override(interface):
        assert [entry.party_name for entry in registration_selectors.participants(meeting=meeting)] == names


def test_the_admin_shows_which_translations_are_missing(admin_client):
    State.objects.create(iso2="XA", iso3="XAA", iso_numeric="901", name_en="Testland Full", name_fr="Terre pleine",
                         name_es="Tierra llena", name_ar="أرض", name_ru="Земля", name_zh_hans="满地")  # fmt: skip
    State.objects.create(iso2="XB", iso3="XAB", iso_numeric="902", name_en="Testland Partial", name_fr="Terre")
    url = reverse("admin:treaties_state_changelist")

    page = admin_client.get(url).content.decode()
    assert "Translations missing" in page
    assert "es, ar, ru, zh-hans" in page

    missing = admin_client.get(url, {"translations": "missing"}).content.decode()
    assert "Testland Partial" in missing and "Testland Full" not in missing
    complete = admin_client.get(url, {"translations": "complete"}).content.decode()
    assert "Testland Full" in complete and "Testland Partial" not in complete

    form = admin_client.get(reverse("admin:treaties_state_change", args=[State.objects.get(iso3="XAB").pk]))
    for field in ("name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh_hans"):
        assert f'name="{field}"' in form.content.decode()


def test_the_office_and_meeting_admins_show_missing_translations(admin_client):
    Office.objects.create(name="Office for Testing", code="TST", kind=Office.Kind.SECRETARIAT, city="Geneva")
    MeetingFactory(title="Testing Meeting", title_fr="Réunion d'essai")

    offices = admin_client.get(reverse("admin:correspondence_office_changelist"), {"translations": "missing"})
    assert "Office for Testing" in offices.content.decode()
    meetings = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"translations": "missing"})
    assert "Testing Meeting" in meetings.content.decode()
    assert "es, ar, ru, zh-hans" in meetings.content.decode()


def test_the_meeting_title_helper_reads_the_language_or_english():
    msp = MeetingFactory(title="Eleventh Meeting of States Parties", title_ru="Одиннадцатое совещание")

    assert msp.title_in("ru") == "Одиннадцатое совещание"
    assert msp.title_in("zh") == msp.title_in("ar") == "Eleventh Meeting of States Parties"
    assert Meeting.objects.get(pk=msp.pk).title_en == "Eleventh Meeting of States Parties"


@pytest.fixture
def back_to_the_latest_schema(transactional_db):
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_keeps_the_names_recorded_before_it(back_to_the_latest_schema):
    """Migrate back to before the translated fields, record names the old way, migrate forward: nothing is lost."""
    before = [
        ("treaties", "0005_state_spanish_names_from_shipped_data"),
        ("meetings", "0002_meeting_title_es_meeting_title_fr"),
    ]
    before += [("correspondence", "0009_language_choices_shared")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldState, OldMeeting = old.get_model("treaties", "State"), old.get_model("meetings", "Meeting")
    OldOffice, OldTreaty = old.get_model("correspondence", "Office"), old.get_model("treaties", "Treaty")
    OldState.objects.create(iso2="XA", iso3="XAA", iso_numeric="901", name_en="Testland", name_fr="Terre",
                            article_fr="la", name_es="Tierra", article_es="la")  # fmt: skip
    OldOffice.objects.create(name="Office for Testing", name_fr="le Bureau d'essai", name_es="la Oficina de prueba",
                             name_ar="مكتب الاختبار", code="TST", kind="secretariat", city="Geneva")  # fmt: skip
    treaty = OldTreaty.objects.get(code="CCM")
    OldMeeting.objects.create(treaty=treaty, kind="msp", title="Testing Meeting", title_fr="Réunion d'essai",
                              title_es="Reunión de prueba", slug="test", start_date=dt.date(2030, 1, 1),
                              end_date=dt.date(2030, 1, 2))  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    state = State.objects.get(iso3="XAA")
    assert (state.name_in("en"), state.name_in("fr"), state.name_in("es"), state.article_fr) == (
        "Testland",
        "Terre",
        "Tierra",
        "la",
    )
    assert state.name_in("ru") == "Testland"  # not in the shipped file: English stands in
    office = Office.objects.get(code="TST")
    assert [office.name_in(code) for code in ("en", "fr", "es", "ar", "zh")] == [
        "Office for Testing",
        "le Bureau d'essai",
        "la Oficina de prueba",
        "مكتب الاختبار",
        "Office for Testing",
    ]
    migrated = Meeting.objects.get(slug="test")
    assert [migrated.title_in(code) for code in ("en", "fr", "es", "ru")] == [
        "Testing Meeting",
        "Réunion d'essai",
        "Reunión de prueba",
        "Testing Meeting",
    ]


def test_existing_states_get_their_arabic_russian_and_chinese_names_from_the_shipped_file():
    migration = importlib.import_module("treaties.migrations.0007_state_names_ar_ru_zh_from_shipped_data")
    State.objects.create(iso2="NO", iso3="NOR", iso_numeric="578", name_en="Norway", name_fr="Norvège",
                         name_ru="Норвегия (исправлено)")  # fmt: skip

    migration.fill(type("Apps", (), {"get_model": staticmethod(lambda app, model: State)})(), None)

    state = State.objects.get(iso3="NOR")
    assert (state.name_ar, state.name_ru, state.name_zh_hans) == ("النرويج", "Норвегия (исправлено)", "挪威")
