"""The wording of Article 7 reminders in the six languages: the standard subject and body, and the phrases
that fill their placeholders ([REPORT], [TREATY], [DUE_DATE], [YEAR]).

A reminder is a note verbale in its addressee's language, not the reader's interface language: this text is
content, kept here per content language (common.languages.Language) like the formulas of
correspondence.language, and never passed through the interface catalogues.
"""

from common.dates import long_date
from common.languages import Language

# The report as it reads inside a sentence: (the initial report, the annual report covering {year}).
REPORT_PHRASE = {
    Language.ENGLISH: ("initial report", "annual report covering {year}"),
    Language.FRENCH: ("rapport initial", "rapport annuel portant sur l'année {year}"),
    Language.SPANISH: ("informe inicial", "informe anual correspondiente a {year}"),
    Language.ARABIC: ("التقرير الأولي", "التقرير السنوي عن عام {year}"),
    Language.RUSSIAN: ("первоначальный доклад", "ежегодный доклад за {year} год"),
    Language.CHINESE: ("初次报告", "{year}年度报告"),
}

# The treaty's name as it follows "Article 7 of (the)" in the standard wording: genitive in Russian, with the
# book-title marks in Chinese. English takes the name recorded on the treaty.
TREATY_NAMES = {
    "CCM": {
        Language.FRENCH: "Convention sur les armes à sous-munitions",
        Language.SPANISH: "Convención sobre Municiones en Racimo",
        Language.ARABIC: "اتفاقية الذخائر العنقودية",
        Language.RUSSIAN: "Конвенции по кассетным боеприпасам",
        Language.CHINESE: "《集束弹药公约》",
    },
    "APMBC": {
        Language.FRENCH: "Convention sur l'interdiction de l'emploi, du stockage, de la production et du transfert"
        " des mines antipersonnel et sur leur destruction",
        Language.SPANISH: "Convención sobre la Prohibición del Empleo, Almacenamiento, Producción y Transferencia"
        " de Minas Antipersonal y sobre su Destrucción",
        Language.ARABIC: "اتفاقية حظر استعمال وتخزين وإنتاج ونقل الألغام المضادة للأفراد وتدمير تلك الألغام",
        Language.RUSSIAN: "Конвенции о запрещении применения, накопления запасов, производства и передачи"
        " противопехотных мин и об их уничтожении",
        Language.CHINESE: "《禁止使用、储存、生产和转让杀伤人员地雷及销毁此种地雷的公约》",
    },
}

# The subject of a reminder in each language (English: ReminderStage.subject's default).
SUBJECT = {
    Language.ENGLISH: "Article 7 report: [REPORT]",
    Language.FRENCH: "Rapport au titre de l'article 7\u00a0: [REPORT]",
    Language.SPANISH: "Informe presentado en virtud del artículo 7: [REPORT]",
    Language.ARABIC: "التقرير المقدم بموجب المادة 7: [REPORT]",
    Language.RUSSIAN: "Доклад в соответствии со статьей 7: [REPORT]",
    Language.CHINESE: "第7条报告：[REPORT]",
}

# The body of a reminder before the due date, following "… has the honour to" of the opening formula.
BODY_BEFORE_DUE = {
    Language.ENGLISH: "{{ opening }} recall that under Article 7 of the [TREATY], the [REPORT] is due by "
    "[DUE_DATE].\n\n{{ closing }}",
    Language.FRENCH: "{{ opening }} rappeler qu'en application de l'article 7 de la [TREATY], le [REPORT] doit "
    "être présenté au plus tard le [DUE_DATE].\n\n{{ closing }}",
    Language.SPANISH: "{{ opening }} recordarle que, de conformidad con el artículo 7 de la [TREATY], el [REPORT] "
    "debe presentarse a más tardar el [DUE_DATE].\n\n{{ closing }}",
    Language.ARABIC: "{{ opening }} تذكّرها بأنه، عملاً بالمادة 7 من [TREATY]، يتعين تقديم [REPORT] في موعد "
    "أقصاه [DUE_DATE].\n\n{{ closing }}",
    Language.RUSSIAN: "{{ opening }} напомнить, что в соответствии со статьей 7 [TREATY] [REPORT] должен быть "
    "представлен не позднее [DUE_DATE].\n\n{{ closing }}",
    Language.CHINESE: "{{ opening }}提请注意，根据[TREATY]第7条，[REPORT]应不迟于[DUE_DATE]提交。\n\n{{ closing }}",
}

# The body of an overdue notice.
BODY_OVERDUE = {
    Language.ENGLISH: "{{ opening }} recall that under Article 7 of the [TREATY], the [REPORT] was due by "
    "[DUE_DATE] and has not yet been received. It would be appreciated if the report could be sent at the "
    "earliest opportunity.\n\n{{ closing }}",
    Language.FRENCH: "{{ opening }} rappeler qu'en application de l'article 7 de la [TREATY], le [REPORT] devait "
    "être présenté au plus tard le [DUE_DATE] et n'a pas encore été reçu. Il serait apprécié que ce rapport soit "
    "transmis dans les meilleurs délais.\n\n{{ closing }}",
    Language.SPANISH: "{{ opening }} recordarle que, de conformidad con el artículo 7 de la [TREATY], el [REPORT] "
    "debía presentarse a más tardar el [DUE_DATE] y aún no se ha recibido. Se agradecería que dicho informe se "
    "remitiera a la mayor brevedad posible.\n\n{{ closing }}",
    Language.ARABIC: "{{ opening }} تذكّرها بأنه، عملاً بالمادة 7 من [TREATY]، كان يتعين تقديم [REPORT] في "
    "موعد أقصاه [DUE_DATE]، ولم يرد بعد. وسيكون من دواعي التقدير إرسال التقرير في أقرب فرصة ممكنة.\n\n"
    "{{ closing }}",
    Language.RUSSIAN: "{{ opening }} напомнить, что в соответствии со статьей 7 [TREATY] [REPORT] должен был быть "
    "представлен не позднее [DUE_DATE], однако до настоящего времени не получен. Просьба представить доклад в "
    "кратчайшие сроки.\n\n{{ closing }}",
    Language.CHINESE: "{{ opening }}提请注意，根据[TREATY]第7条，[REPORT]应不迟于[DUE_DATE]提交，但迄今尚未收到。"
    "请尽早提交该报告。\n\n{{ closing }}",
}


def report_phrase(*, year_covered: int | None, language: str) -> str:
    """“annual report covering 2025” · « rapport annuel portant sur l'année 2025 » · “2025年度报告”."""
    initial, annual = REPORT_PHRASE.get(language, REPORT_PHRASE[Language.ENGLISH])
    return annual.format(year=year_covered) if year_covered else initial


def treaty_name(treaty, language: str) -> str:
    """The treaty's name in ``language``; a treaty not in the table keeps the name recorded for it."""
    return TREATY_NAMES.get(treaty.code, {}).get(language, treaty.name)


def standard_wording(*, overdue: bool, language: str) -> tuple[str, str]:
    """The standard (subject, body) of a reminder in ``language``, for a stage with no wording of its own."""
    bodies = BODY_OVERDUE if overdue else BODY_BEFORE_DUE
    return SUBJECT.get(language, SUBJECT[Language.ENGLISH]), bodies.get(language, bodies[Language.ENGLISH])


def fill(text: str, *, treaty, year_covered: int | None, due, language: str) -> str:
    """``text`` with its placeholders filled in, in ``language``: the report, the year, the due date written out
    as a UN document writes it (common.dates.long_date) and the treaty's name."""
    return (
        text.replace("[REPORT]", report_phrase(year_covered=year_covered, language=language))
        .replace("[YEAR]", str(year_covered or ""))
        .replace("[DUE_DATE]", long_date(due, language))
        .replace("[TREATY]", treaty_name(treaty, language))
    )
