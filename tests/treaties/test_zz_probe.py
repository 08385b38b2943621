import pytest
from treaties.services import registry_import, RegistryImportError
from tests.factories import StateFactory

@pytest.mark.django_db
def test_probe():
    StateFactory(iso3="XAA", iso2="XA", iso_numeric="901", name_en="A")
    StateFactory(iso3="XAB", iso2="XB", iso_numeric="902", name_en="B")
    csv = (
        "treaty,state_iso3,signature_date,deposit_date,instrument,provisional_application,withdrawal_notice_date,notes\n"
        "CCM,XAA,2008-12-03,2011-03-24,ratification,false,,\n"
        "CCM,ZZZ,2008-12-03,2011-03-24,ratification,false,,\n"
        "CCM,XAB,2008-12-03,24/03/2011,ratification,false,,\n"
        "CCM,XAB,2008-12-03,2011-03-24,ratify,false,,\n"
        "CCM,XAB,,2011-03-24,ratification,false,,\n"
        "XXX,XAB,2008-12-03,2011-03-24,ratification,false,,\n"
    )
    try:
        registry_import(kind="participations", data=csv.encode(), file_format="csv")
    except RegistryImportError as e:
        for err in e.errors: print(repr(err))
    csv2 = "iso2,iso3,iso_numeric,name_en,name_fr,un_status\nx1,XA1,12,Foo,Foo,member\nXC,XAC,903,Bar,Bar,alien\n"
    try:
        registry_import(kind="states", data=csv2.encode(), file_format="csv")
    except RegistryImportError as e:
        for err in e.errors: print(repr(err))
