"""The treaties' legal facts (docs/domain.md §2), shared by the data migration and the post-migrate check."""

import datetime as dt

TREATIES = [
    {
        "code": "CCM",
        "name": "Convention on Cluster Munitions",
        "short_name": "Convention on Cluster Munitions",
        "document_prefix": "CCM",
        "adopted_on": dt.date(2008, 5, 30),
        "instruments_for_entry_into_force": 30,
        # Burkina Faso and the Republic of Moldova deposited the 29th and 30th instruments that day.
        "triggering_deposit_date": dt.date(2010, 2, 16),
        "entry_into_force": dt.date(2010, 8, 1),
        "observer_rules": (
            "Art. 11: States not party, the United Nations, other relevant international organisations or "
            "institutions, regional organisations, the International Committee of the Red Cross, the "
            "International Federation of Red Cross and Red Crescent Societies and relevant non-governmental "
            "organisations may be invited to attend as observers. Rule 1.2: the UN, ICRC, IFRC, GICHD and the "
            "Cluster Munition Coalition attend by right; others ask (rule 1.3)."
        ),
        "website": "https://www.clusterconvention.org",
    },
    {
        "code": "APMBC",
        "name": (
            "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
            "Anti-Personnel Mines and on Their Destruction"
        ),
        "short_name": "Anti-Personnel Mine Ban Convention",
        "document_prefix": "APLC",
        "adopted_on": dt.date(1997, 9, 18),
        "instruments_for_entry_into_force": 40,
        # Burkina Faso deposited the 40th instrument that day.
        "triggering_deposit_date": dt.date(1998, 9, 16),
        "entry_into_force": dt.date(1999, 3, 1),
        "observer_rules": (
            "Art. 11: States not party, the United Nations, other relevant international organisations or "
            "institutions, regional organisations, the International Committee of the Red Cross and relevant "
            "non-governmental organisations may be invited to attend as observers."
        ),
        "website": "https://www.apminebanconvention.org",
    },
]


def treaties_ensure(Treaty) -> None:
    """Create the treaties that are missing; never overwrite what an administrator corrected."""
    for data in TREATIES:
        Treaty.objects.get_or_create(code=data["code"], defaults=data)


# The treaties' names in the six languages, as the depositary's authentic texts and UN documents give them
# (locale/GLOSSARY.md). Chinese names carry the book-title marks UN Chinese puts around a treaty's name.
TREATY_NAMES = {
    "CCM": {
        "name": {
            "fr": "Convention sur les armes à sous-munitions",
            "es": "Convención sobre Municiones en Racimo",
            "ar": "اتفاقية الذخائر العنقودية",
            "ru": "Конвенция по кассетным боеприпасам",
            "zh_hans": "《集束弹药公约》",
        },
        "short_name": {
            "fr": "Convention sur les armes à sous-munitions",
            "es": "Convención sobre Municiones en Racimo",
            "ar": "اتفاقية الذخائر العنقودية",
            "ru": "Конвенция по кассетным боеприпасам",
            "zh_hans": "《集束弹药公约》",
        },
    },
    "APMBC": {
        "name": {
            "fr": "Convention sur l'interdiction de l'emploi, du stockage, de la production et du transfert des "
            "mines antipersonnel et sur leur destruction",
            "es": "Convención sobre la Prohibición del Empleo, Almacenamiento, Producción y Transferencia de Minas "
            "Antipersonal y sobre su Destrucción",
            "ar": "اتفاقية حظر استعمال وتخزين وإنتاج ونقل الألغام المضادة للأفراد وتدمير تلك الألغام",
            "ru": "Конвенция о запрещении применения, накопления запасов, производства и передачи "
            "противопехотных мин и об их уничтожении",
            "zh_hans": "《禁止使用、储存、生产和转让杀伤人员地雷及销毁此种地雷的公约》",
        },
        "short_name": {
            "fr": "Convention sur l'interdiction des mines antipersonnel",
            "es": "Convención sobre la Prohibición de las Minas Antipersonal",
            "ar": "اتفاقية حظر الألغام المضادة للأفراد",
            "ru": "Конвенция о запрещении противопехотных мин",
            "zh_hans": "《禁止杀伤人员地雷公约》",
        },
    },
}


def treaty_names_fill(Treaty) -> None:
    """Fill the names in other languages that are still empty; never overwrite an administrator's wording."""
    for treaty in Treaty.objects.filter(code__in=TREATY_NAMES):
        changed = []
        for field, names in TREATY_NAMES[treaty.code].items():
            for suffix, value in names.items():
                column = f"{field}_{suffix}"
                if not getattr(treaty, column):
                    setattr(treaty, column, value)
                    changed.append(column)
        if changed:
            treaty.save(update_fields=changed)
