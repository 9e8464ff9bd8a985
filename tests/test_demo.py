"""Demo data: the four seed municipalities with their real structure, loaded idempotently."""

from datetime import date

from sqlalchemy import select

from app.demo.loader import load_demo_data
from app.municipalities.models import Municipality
from app.orgunits.models import OrgUnit


async def _units(db, code):
    async with db.session(system=True) as session:
        municipality = (
            await session.scalars(select(Municipality).where(Municipality.code == code))
        ).one()
        rows = (
            await session.scalars(
                select(OrgUnit)
                .where(OrgUnit.municipality_id == municipality.id)
                .execution_options(skip_tenant_filter=True)
            )
        ).all()
    return municipality, {u.code: u for u in rows}


async def test_demo_data_loads_the_seed_organisations_once(app):
    db = app.state.db
    await load_demo_data(db)
    again = await load_demo_data(db)
    assert all(line.endswith(": 0 org unit(s) added") for line in again)

    names = {}
    for code in ("2380", "2313", "0117", "0181"):
        municipality, units = await _units(db, code)
        names[code] = municipality.name
        committees = [u for u in units.values() if u.kind == "committee"]
        assert [u.code for u in committees] == ["SN"]
    assert names == {
        "2380": "Östersund",
        "2313": "Strömsund",
        "0117": "Österåker",
        "0181": "Södertälje",
    }

    # Östersund (seed 000 §1): three sectors from 2021; the areas before them closed end of 2020.
    _, ostersund = await _units(db, "2380")
    valid_2022 = {
        u.name for u in ostersund.values() if u.kind == "area" and u.is_valid_on(date(2022, 6, 1))
    }
    assert valid_2022 == {
        "Sektor Barn, Ungdom och Vuxen",
        "Sektor Kompetens, Arbete och Försörjning",
        "Sektor Öppenvård",
    }
    valid_2020 = {
        u.code for u in ostersund.values() if u.kind == "area" and u.is_valid_on(date(2020, 6, 1))
    }
    assert {"OMR-BUV", "OMR-OPV"} <= valid_2020
    assert not valid_2020 & {"BUV", "KAF", "OPV"}

    # Södertälje (seed 004): the four areas of the budget per area, under Socialkontoret.
    _, sodertalje = await _units(db, "0181")
    areas = {u.name for u in sodertalje.values() if u.kind == "area"}
    assert areas == {
        "Arbete och försörjning",
        "Barn och ungdom",
        "Vuxenvård missbruk",
        "Vuxenvård socialpsykiatri",
    }
    assert {sodertalje[c].parent_id for c in ("AF", "BOU", "VM", "VSP")} == {sodertalje["SK"].id}

    # Österåker (seed 003): the four enheter under Socialförvaltningen.
    _, osteraker = await _units(db, "0117")
    assert {
        "Stöd till barn och unga",
        "Familjerätt och familjehem",
        "Ekonomiskt bistånd",
        "Stöd och behandling",
    } <= {u.name for u in osteraker.values() if u.kind == "unit"}
