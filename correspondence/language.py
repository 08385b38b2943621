"""The wording that depends on the language: dates written out, and the fixed formulas of each form."""

import datetime as dt
from typing import TYPE_CHECKING

# Dates written out are common to every app (obligations words its reminders with them).
from common.dates import MONTHS, day_of_month, long_date

if TYPE_CHECKING:
    from treaties.models import State


def date_range(start: dt.date, end: dt.date, language: str = "en") -> str:
    """11 to 14 September 2023 · du 11 au 14 septembre 2023 · del 11 al 14 de septiembre de 2023."""
    if start == end:
        return long_date(start, language)
    if language == "zh":
        return f"{long_date(start, 'zh')}至{long_date(end, 'zh')}"
    months = MONTHS.get(language, MONTHS["en"])
    same_year, same_month = start.year == end.year, (start.year, start.month) == (end.year, end.month)
    if language == "fr":
        first = (
            day_of_month(start.day, "fr")
            if same_month
            else long_date(start, "fr").rsplit(" ", 1)[0]
            if same_year
            else long_date(start, "fr")
        )
        return f"du {first} au {long_date(end, 'fr')}"
    if language == "es":
        first = (
            str(start.day)
            if same_month
            else f"{start.day} de {months[start.month - 1]}"
            if same_year
            else long_date(start, "es")
        )
        return f"del {first} al {long_date(end, 'es')}"
    if language == "ru":
        first = (
            str(start.day)
            if same_month
            else f"{start.day} {months[start.month - 1]}"
            if same_year
            else long_date(start, "ru")
        )
        return f"с {first} по {long_date(end, 'ru')}"
    if language == "ar":
        first = (
            str(start.day)
            if same_month
            else f"{start.day} {months[start.month - 1]}"
            if same_year
            else long_date(start, "ar")
        )
        return f"من {first} إلى {long_date(end, 'ar')}"
    first = (
        str(start.day) if same_month else f"{start.day} {months[start.month - 1]}" if same_year else long_date(start)
    )
    return f"{first} to {long_date(end)}"


def _clock(value: dt.time, language: str) -> str:
    """10:00 · 10 heures, 15 h 30 · 10.00 horas · the 24-hour clock everywhere, as UN editorial style has it."""
    if language == "fr":
        return f"{value.hour} heures" if not value.minute else f"{value.hour} h {value.minute:02d}"
    if language == "es":
        return f"{value.hour}.{value.minute:02d} horas"
    return f"{value.hour}:{value.minute:02d}"


def meeting_when(start: dt.date, end: dt.date, start_time: dt.time | None = None, language: str = "en") -> str:
    """When a meeting takes place, as it follows “to be held”: the preposition, the day or days, the hour.

    on 23 December 2026 at 10:00 · from 11 to 14 September 2023 ·
    le 23 décembre 2026 à 10 heures · du 11 au 14 septembre 2023 ·
    el 23 de diciembre de 2026 a las 10.00 horas · del 11 al 14 de septiembre de 2023.
    """
    if start != end:
        span = date_range(start, end, language)
        return {
            "en": f"from {span}",
            "ar": f"في الفترة {span}",
            "zh": f"于{span}",
        }.get(language, span)  # French, Spanish and Russian ranges carry their preposition (du, del, с)
    day = long_date(start, language)
    if language == "fr":
        on, at = f"le {day}", "à"
    elif language == "es":
        on, at = f"el {day}", "a las"
    elif language == "ar":
        on, at = f"في {day}", "الساعة"
    elif language == "ru":
        on, at = day, "в"
    elif language == "zh":
        return f"于{day}" + (_clock(start_time, language) if start_time else "")
    else:
        on, at = f"on {day}", "at"
    return f"{on} {at} {_clock(start_time, language)}" if start_time else on


# Places and venues as they read in each language; an unknown name stays as it was typed.
CITY_NAMES = {
    "Geneva": {"fr": "Genève", "es": "Ginebra", "ar": "جنيف", "ru": "Женева", "zh": "日内瓦"},
    "New York": {"es": "Nueva York", "ar": "نيويورك", "ru": "Нью-Йорк", "zh": "纽约"},
    "Vienna": {"fr": "Vienne", "es": "Viena", "ar": "فيينا", "ru": "Вена", "zh": "维也纳"},
    "Beirut": {"fr": "Beyrouth", "ar": "بيروت", "ru": "Бейрут", "zh": "贝鲁特"},
    "Vientiane": {"es": "Vientián", "ar": "فينتيان", "ru": "Вьентьян", "zh": "万象"},
}
VENUE_NAMES = {
    "Palais des Nations": {"es": "Palacio de las Naciones", "ar": "قصر الأمم", "ru": "Дворец Наций", "zh": "万国宫"},
}
ROOM_WORD = {"fr": "salle", "es": "sala", "ar": "القاعة"}


def place_name(name: str, table: dict, language: str) -> str:
    return table.get(name, {}).get(language, name)


def dateline(city: str, date: str, language: str) -> str:
    """Geneva, 3 December 2026 · Genève, le 3 décembre 2026 · جنيف، 3 ديسمبر 2026."""
    city = place_name(city, CITY_NAMES, language)
    if language == "fr" and date[:1].isdigit():
        return f"{city}, le {date}"
    if language == "ar":
        return f"{city}، {date}"
    if language == "zh":
        return f"{date}于{city}"
    return f"{city}, {date}"


def meeting_where(*, venue: str, room: str, city: str, language: str = "en") -> str:
    """Where a meeting takes place, as it follows “to be held … ”, with its preposition.

    at the Palais des Nations in Geneva (Room XIX) · au Palais des Nations, à Genève (salle XIX) ·
    en el Palacio de las Naciones, en Ginebra (sala XIX) · في قصر الأمم في جنيف (القاعة XIX).
    Russian and Chinese decline place names, which a table cannot do: they get the place in brackets.
    """
    city = place_name(city, CITY_NAMES, language)
    venue_name = place_name(venue, VENUE_NAMES, language)
    if room.lower().startswith("room ") and language in ROOM_WORD:
        room = f"{ROOM_WORD[language]} {room[5:]}"
    room_part = f" ({room})" if room else ""
    if language in ("ru", "zh"):
        place = ", ".join(part for part in (room, venue_name, city) if part)
        return f"({place})" if place else ""
    if language == "fr":
        # “au” suits the Palais; a venue of unknown gender follows the city instead of taking an article.
        if venue == "Palais des Nations":
            parts = ["au Palais des Nations", f"à {city}" if city else ""]
        else:
            parts = [f"à {city}" if city else "", venue]
        return ", ".join(p for p in parts if p) + room_part if any(parts) else room
    if language == "es":
        if venue == "Palais des Nations":
            parts = ["en el Palacio de las Naciones", f"en {city}" if city else ""]
        else:
            parts = [f"en {city}" if city else "", venue]
        return ", ".join(p for p in parts if p) + room_part if any(parts) else room
    if language == "ar":
        parts = [f"في {venue_name}" if venue_name else "", f"في {city}" if city else ""]
        return " ".join(p for p in parts if p) + room_part if any(parts) else room
    parts = [f"at the {venue}" if venue else "", f"in {city}" if city else ""]
    return " ".join(p for p in parts if p) + room_part if any(parts) else room


# Formulas of a note verbale and a letter, per language.
NOTE_OPENING = {
    "en": "{sender} presents its compliments to {addressee} and has the honour to",
    "fr": "{sender} présente ses compliments {addressee_fr} et a l'honneur de",
    "es": "{sender} saluda atentamente a {addressee} y tiene el honor de",
    "ar": "{sender} تهدي أطيب تحياتها إلى {addressee} وتتشرف بأن",
    "ru": "{sender} свидетельствует своё уважение {addressee} и имеет честь",
    "zh": "{sender}向{addressee}致意，并谨",
}
NOTE_CLOSING = {
    "en": "{sender} avails itself of this opportunity to renew to {addressee} the assurances of its highest consideration.",
    "fr": "{sender} saisit cette occasion pour renouveler {addressee_fr} les assurances de sa très haute considération.",
    "es": "{sender} aprovecha la oportunidad para reiterar a {addressee} las seguridades de su más alta consideración.",
    "ar": "وتغتنم {sender} هذه الفرصة لتعرب مجددا إلى {addressee} عن أسمى آيات تقديرها.",
    "ru": "{sender} пользуется случаем, чтобы возобновить {addressee} уверения в своём самом высоком уважении.",
    "zh": "{sender}顺致最崇高的敬意。",
}
LETTER_CLOSING = {
    "en": "Please accept, Excellency, the assurances of my highest consideration.",
    "fr": "Je vous prie d'agréer, Excellence, les assurances de ma très haute considération.",
    "es": "Le ruego acepte, Excelencia, las seguridades de mi más alta consideración.",
    "ar": "وتفضلوا، يا صاحب السعادة، بقبول أسمى آيات التقدير.",
    "ru": "Примите, Ваше Превосходительство, уверения в моём самом высоком уважении.",
    "zh": "顺致最崇高的敬意。",
}
SALUTATION = {
    "en": "Excellency,",
    "fr": "Excellence,",
    "es": "Excelencia:",
    "ar": "صاحب السعادة،",
    "ru": "Ваше Превосходительство!",
    "zh": "阁下：",
}
ENCLOSURES = {
    "en": "Enclosures",
    "fr": "Pièces jointes",
    "es": "Anexos",
    "ar": "المرفقات",
    "ru": "Приложения",
    "zh": "附件",
}
# The subject of a correction, in the corrected note's language (the drafter's interface language plays no part).
CORRIGENDUM = {
    "en": "Corrigendum: {subject}",
    "fr": "Rectificatif\u00a0: {subject}",
    "es": "Corrección: {subject}",
    "ar": "تصويب: {subject}",
    "ru": "Исправление: {subject}",
    "zh": "更正：{subject}",
}
RTL_LANGUAGES = {"ar"}


def isolate(text: str) -> str:
    """Text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: laid out in its own direction
    inside a paragraph of the other, so an English name or a link in an Arabic note is not scrambled."""
    return f"\u2068{text}\u2069" if text else text


def isolated(value):
    """Every text in a context value isolated (see ``isolate``); dates and numbers as they are."""
    if isinstance(value, str):
        return isolate(value)
    if isinstance(value, dict):
        return {key: isolated(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [isolated(inner) for inner in value]
    return value


def _fr_to(addressee: str) -> str:
    """French contracts « à le » into « au » and « à les » into « aux »."""
    lower = addressee[:4].lower()
    if lower.startswith("le "):
        return "au " + addressee[3:]
    if lower.startswith("les "):
        return "aux " + addressee[4:]
    return "à " + addressee


ARTICLE = {"en": "the", "fr": "la", "es": "la", "ar": "", "ru": "", "zh": ""}


def with_article(name: str, language: str) -> str:
    """“the Permanent Mission of Norway …” inside a sentence; names of persons take none."""
    article = ARTICLE.get(language, "")
    return f"{article} {name}" if article and not name.lower().startswith(article + " ") else name


# “de” followed by the article of a State's short name, contracted as each language requires.
OF_ARTICLE = {
    "fr": {"le": "du ", "la": "de la ", "l'": "de l'", "les": "des "},
    "es": {"el": "del ", "la": "de la ", "los": "de los ", "las": "de las "},
}
# UNTERM gives every name that begins with an aspirate h an article (le Honduras, la Hongrie),
# so a bare name beginning with h is Haïti, which elides.
FR_ELIDES_BEFORE = "aeiouhàâäéèêëîïôöùûü"


def of_name(name: str, article: str, language: str) -> str:
    """“de la France”, “du Mexique”, “des Pays-Bas”, “d'Haïti”, “de Cuba” · “del Brasil”, “de Alemania”."""
    if article:
        return OF_ARTICLE[language][article] + name
    if language == "fr" and name[:1].lower() in FR_ELIDES_BEFORE:
        return "d'" + name
    return "de " + name


# English UN short names that take “the” inside a sentence, as UNTERM lists them: “Permanent Mission of the
# Holy See”, “… of the Netherlands (Kingdom of the)”, but “… of Norway”.
EN_THE = frozenset(
    [
        "ARE",
        "BHS",
        "CAF",
        "COD",
        "COG",
        "COK",
        "COM",
        "DOM",
        "GBR",
        "GMB",
        "KOR",
        "LAO",
        "MDA",
        "MHL",
        "NER",
        "NLD",
        "PHL",
        "PRK",
        "PSE",
        "RUS",
        "SDN",
        "SLB",
        "SYR",
        "TZA",
        "USA",
        "VAT",
    ]
)


def of_state(state: "State", language: str) -> str:
    """The State as it follows “Permanent Mission” in a note of that language, in the State's UN short name there:
    “of the Holy See” · “de la France” · “del Brasil” · “لفرنسا”, “للنرويج” · “Норвегии” (genitive) · “挪威”."""
    if language == "fr":
        return of_name(state.name_in("fr"), state.article_fr if state.name_fr else "", "fr")
    if language == "es":
        # A State imported from an older file may lack its Spanish name; its article then means nothing.
        return of_name(state.name_in("es"), state.article_es if state.name_es else "", "es")
    if language == "ar":
        # The preposition li- joins the name; before the article al- it drops the alif: للنرويج, لفرنسا.
        name = state.name_in("ar")
        return "ل" + name[1:] if name.startswith("ال") else "ل" + name
    if language == "ru":
        return russian_genitive(state.name_in("ru"))
    if language == "zh":
        return state.name_in("zh")
    name = state.name_en
    return f"of the {name}" if state.iso3 in EN_THE else f"of {name}"


MISSION = {
    "en": "Permanent Mission {of}",
    "fr": "Mission permanente {of}",
    "es": "Misión Permanente {of}",
    "ar": "البعثة الدائمة {of}",
    "ru": "Постоянное представительство {of}",
    "zh": "{of}常驻代表团",
}


def mission_of(state: "State", language: str) -> str:
    """“Permanent Mission of Norway” · “Mission permanente de la Norvège” · “البعثة الدائمة للنرويج” ·
    “Постоянное представительство Норвегии” · “挪威常驻代表团”: the State named in the note's language."""
    return MISSION.get(language, MISSION["en"]).format(of=of_state(state, language))


# Russian declines a State's name after “Постоянное представительство”: the genitive, by rule, with the words the
# rules get wrong. The adjectives and the head noun of a name decline, what follows the head does not
# (“Республики Корея”); each part of “X и Y”, “X — Y” and “X (Y)” declines on its own.
RU_GENITIVE_WORDS = {
    "Беларусь": "Беларуси",
    "Египет": "Египта",
    "Бангладеш": "Бангладеш",
    "Королевство": "Королевства",
    "Государство": "Государства",
    "Острова": "Островов",
    "Филиппины": "Филиппин",
    "Гренадины": "Гренадин",
    "Гвинея-Бисау": "Гвинеи-Бисау",
    # “и” inside one name, not between two: only the head declines.
    "Соединенное Королевство Великобритании и Северной Ирландии": (
        "Соединенного Королевства Великобритании и Северной Ирландии"
    ),
}
_RU_ADJECTIVE_ENDINGS = {"ая": "ой", "яя": "ей", "ое": "ого", "ее": "его", "ые": "ых", "ие": "их", "ый": "ого",
                         "ий": "ого", "ой": "ого", "овы": "овых"}  # fmt: skip
_RU_HUSHING = "гкхжшщч"
_RU_VOWELS = "аеёиоуыэюя"


def _ru_noun_genitive(word: str) -> str:
    if word in RU_GENITIVE_WORDS:
        return RU_GENITIVE_WORDS[word]
    if "-" in word:  # Коста-Рика, Сент-Китс, Бруней-Даруссалам: the last part declines
        head, _, last = word.rpartition("-")
        return f"{head}-{_ru_noun_genitive(last)}"
    lower = word.lower()
    if lower.endswith("ы"):
        return word[:-1] + "ов"
    if lower.endswith("я"):
        return word[:-1] + "и"
    if lower.endswith("а"):
        if len(lower) > 1 and lower[-2] in _RU_VOWELS:  # Самоа, Никарагуа: foreign, indeclinable
            return word
        return word[:-1] + ("и" if lower[-2:-1] in _RU_HUSHING else "ы")
    if lower.endswith("й"):
        return word[:-1] + "я"
    if lower.endswith("ь"):
        return word[:-1] + "я"
    if lower[-1:] in _RU_VOWELS:  # Того, Чили, Перу, Ниуэ: indeclinable
        return word
    return word + "а"


def _ru_phrase_genitive(phrase: str) -> str:
    words = phrase.split(" ")
    for index, word in enumerate(words):
        is_last = index == len(words) - 1
        ending = next((e for e in _RU_ADJECTIVE_ENDINGS if word.endswith(e)), None)
        if ending and not is_last and word not in RU_GENITIVE_WORDS:
            words[index] = word[: -len(ending)] + _RU_ADJECTIVE_ENDINGS[ending]
            continue
        words[index] = _ru_noun_genitive(word)
        break  # the head noun: what follows it (“Корея”, “Америки”) stays as it is
    return " ".join(words)


def russian_genitive(name: str) -> str:
    """Норвегия → Норвегии, Российская Федерация → Российской Федерации, Республика Корея → Республики Корея,
    Иран (Исламская Республика) → Ирана (Исламской Республики), Того → Того."""
    if name in RU_GENITIVE_WORDS:
        return RU_GENITIVE_WORDS[name]
    if "(" in name:
        main, _, rest = name.partition(" (")
        return f"{russian_genitive(main)} ({russian_genitive(rest.rstrip(')'))})"
    for joiner in (" — ", " и "):
        if joiner in name:
            return joiner.join(russian_genitive(part) for part in name.split(joiner))
    return _ru_phrase_genitive(name)


def sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ru_to(addressee: str) -> str:
    """Russian puts the addressee of “свидетельствует своё уважение” in the dative: “Постоянному представительству
    Норвегии”. The State after it is already in the genitive and stays."""
    prefix = "Постоянное представительство "
    return "Постоянному представительству " + addressee[len(prefix) :] if addressee.startswith(prefix) else addressee


def note_opening(*, sender: str, addressee: str, language: str) -> str:
    pattern = NOTE_OPENING.get(language, NOTE_OPENING["en"])
    addressee = _ru_to(addressee) if language == "ru" else addressee
    return pattern.format(sender=sender, addressee=addressee, addressee_fr=_fr_to(addressee))


def note_closing(*, sender: str, addressee: str, language: str) -> str:
    pattern = NOTE_CLOSING.get(language, NOTE_CLOSING["en"])
    addressee = _ru_to(addressee) if language == "ru" else addressee
    return pattern.format(sender=sender, addressee=addressee, addressee_fr=_fr_to(addressee))


def english_date(value: dt.date, style: str) -> str:
    """An office's way of writing the date in English: 18 April 2011 · 08 August 2023 · March 5, 2010."""
    month = MONTHS["en"][value.month - 1]
    if style == "dd_month_yyyy":
        return f"{value.day:02d} {month} {value.year}"
    if style == "month_d_yyyy":
        return f"{month} {value.day}, {value.year}"
    return long_date(value, "en")


# The addressee lines of a circular, per group and language (seed 002's wording in English). {treaty} is the
# treaty's (English) name, which only the English line uses; {code} its short name, e.g. CCM. Signatories and States not party together
# make one line, as seed 002 writes them.
GROUP_LINES = {
    "states_parties": {
        "en": "The Permanent Missions to the United Nations of the States Parties to the {treaty} ({code})",
        "fr": "Les missions permanentes auprès de l'Organisation des Nations Unies des États parties à la Convention"
        " ({code})",
        "es": "Las misiones permanentes ante las Naciones Unidas de los Estados partes en la Convención ({code})",
        "ar": "البعثات الدائمة لدى الأمم المتحدة للدول الأطراف في الاتفاقية ({code})",
        "ru": "Постоянные представительства при Организации Объединённых Наций государств — участников Конвенции"
        " ({code})",
        "zh": "公约（{code}）缔约国常驻联合国代表团",
    },
    "signatories": {
        "en": "The Permanent Missions to the United Nations of the Signatories to the Convention",
        "fr": "Les missions permanentes auprès de l'Organisation des Nations Unies des États signataires de la"
        " Convention",
        "es": "Las misiones permanentes ante las Naciones Unidas de los Estados signatarios de la Convención",
        "ar": "البعثات الدائمة لدى الأمم المتحدة للدول الموقعة على الاتفاقية",
        "ru": "Постоянные представительства при Организации Объединённых Наций государств, подписавших Конвенцию",
        "zh": "公约签署国常驻联合国代表团",
    },
    "states_not_party": {
        "en": "The Permanent Missions to the United Nations of the States not Parties to the Convention",
        "fr": "Les missions permanentes auprès de l'Organisation des Nations Unies des États non parties à la"
        " Convention",
        "es": "Las misiones permanentes ante las Naciones Unidas de los Estados que no son partes en la Convención",
        "ar": "البعثات الدائمة لدى الأمم المتحدة للدول غير الأطراف في الاتفاقية",
        "ru": "Постоянные представительства при Организации Объединённых Наций государств, не являющихся"
        " участниками Конвенции",
        "zh": "非公约缔约国常驻联合国代表团",
    },
    "signatories+states_not_party": {
        "en": "The Permanent Missions to the United Nations of the Signatories and States not Parties to the"
        " Convention",
        "fr": "Les missions permanentes auprès de l'Organisation des Nations Unies des États signataires et des"
        " États non parties à la Convention",
        "es": "Las misiones permanentes ante las Naciones Unidas de los Estados signatarios y de los Estados que no"
        " son partes en la Convención",
        "ar": "البعثات الدائمة لدى الأمم المتحدة للدول الموقعة والدول غير الأطراف في الاتفاقية",
        "ru": "Постоянные представительства при Организации Объединённых Наций государств, подписавших Конвенцию,"
        " и государств, не являющихся её участниками",
        "zh": "公约签署国和非缔约国常驻联合国代表团",
    },
    "all_missions": {
        "en": "The Permanent Representatives of Member and Observer States to the United Nations",
        "fr": "Les représentants permanents des États Membres et des États observateurs auprès de l'Organisation"
        " des Nations Unies",
        "es": "Los representantes permanentes de los Estados Miembros y Estados observadores ante las Naciones Unidas",
        "ar": "الممثلون الدائمون للدول الأعضاء والدول المراقبة لدى الأمم المتحدة",
        "ru": "Постоянные представители государств-членов и государств-наблюдателей при Организации Объединённых Наций",
        "zh": "各会员国和观察员国常驻联合国代表",
    },
    "observer_organisations": {
        "en": "The organizations attending as observers by right",
        "fr": "Les organisations participant de droit en qualité d'observateurs",
        "es": "Las organizaciones que participan por derecho propio en calidad de observadoras",
        "ar": "المنظمات المشاركة بصفة مراقب بحكم القانون",
        "ru": "Организации, участвующие в качестве наблюдателей по праву",
        "zh": "依职权作为观察员出席的组织",
    },
    "interested_organisations": {
        "en": "Interested non-governmental and International Organizations",
        "fr": "Les organisations non gouvernementales et internationales intéressées",
        "es": "Las organizaciones no gubernamentales e internacionales interesadas",
        "ar": "المنظمات غير الحكومية والدولية المهتمة",
        "ru": "Заинтересованные неправительственные и международные организации",
        "zh": "感兴趣的非政府组织和国际组织",
    },
}
GROUP_ORDER = [
    "all_missions",
    "states_parties",
    "signatories+states_not_party",
    "signatories",
    "states_not_party",
    "observer_organisations",
    "interested_organisations",
]


def group_lines(groups: list[str], *, treaty: str, code: str, language: str) -> list[str]:
    """The addressee lines of a circular to these groups, in the note's language and a fixed order."""
    chosen = set(groups)
    if {"signatories", "states_not_party"} <= chosen:
        chosen -= {"signatories", "states_not_party"}
        chosen.add("signatories+states_not_party")
    lines = []
    for group in GROUP_ORDER:
        if group in chosen:
            wording = GROUP_LINES[group]
            lines.append(wording.get(language, wording["en"]).format(treaty=treaty, code=code))
    return lines


def groups_phrase(groups: list[str], *, treaty: str, code: str, language: str) -> str:
    """The groups as they read inside a sentence of a circular note verbale: “… presents its compliments to
    the Permanent Representatives of Member and Observer States to the United Nations and …” (seed 004)."""
    lines = group_lines(groups, treaty=treaty, code=code, language=language)
    if language in ("en", "fr", "es"):  # the article starts the line, not the sentence
        lines = [
            line[:1].lower() + line[1:] if line[:4].lower() in ("the ", "les ", "las ", "los ") else line
            for line in lines
        ]
    joiner = {"ar": "، ", "zh": "、"}.get(language, "; ")
    return joiner.join(lines)


def corrigendum_subject(subject: str, language: str) -> str:
    return CORRIGENDUM.get(language, CORRIGENDUM["en"]).format(subject=subject)
