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
