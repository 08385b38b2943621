"""The wording that depends on the language: dates written out, and the fixed formulas of each form."""

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from treaties.models import State

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}


def _day(day: int, language: str) -> str:
    return "1er" if language == "fr" and day == 1 else str(day)


def long_date(value: dt.date | None, language: str = "en") -> str:
    """21 March 2023 · 21 mars 2023 · 21 de marzo de 2023 · 2023年3月21日."""
    if value is None:
        return ""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    month = MONTHS.get(language, MONTHS["en"])[value.month - 1]
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    if language == "ru":
        return f"{value.day} {month} {value.year} года"
    return f"{_day(value.day, language)} {month} {value.year}"


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
            _day(start.day, "fr")
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
RTL_LANGUAGES = {"ar"}


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


def of_state(state: "State", language: str) -> str:
    """The State as it follows “Mission permanente” or “Misión Permanente”, in French or Spanish."""
    if language == "fr":
        return of_name(state.name_fr, state.article_fr, "fr")
    if language == "es":
        # A State imported from an older file may lack its Spanish name; its article then means nothing.
        return of_name(state.name_es, state.article_es, "es") if state.name_es else of_name(state.name_en, "", "es")
    raise ValueError(f"No article data for language “{language}”; only French and Spanish have it.")


def sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def note_opening(*, sender: str, addressee: str, language: str) -> str:
    pattern = NOTE_OPENING.get(language, NOTE_OPENING["en"])
    return pattern.format(sender=sender, addressee=addressee, addressee_fr=_fr_to(addressee))


def note_closing(*, sender: str, addressee: str, language: str) -> str:
    pattern = NOTE_CLOSING.get(language, NOTE_CLOSING["en"])
    return pattern.format(sender=sender, addressee=addressee, addressee_fr=_fr_to(addressee))
