"""Municipalities are created by operators (CLI), not through the API.

A new municipality starts with seed 000's budget-category chart (``app.budget.categories``), so
its budget categories, follow-up and ERP account mapping work before its first budget write; it
is audited as created by the command line.
"""

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.municipalities.models import Municipality

SCB_CODE = re.compile(r"^\d{4}$")


class InvalidMunicipality(ValueError):
    pass


async def get_by_code(session: AsyncSession, code: str) -> Municipality | None:
    return (
        await session.execute(select(Municipality).where(Municipality.code == code))
    ).scalar_one_or_none()


async def ensure(session: AsyncSession, code: str, name: str) -> tuple[Municipality, bool]:
    """The municipality with this SCB code, created when missing. Returns (row, created)."""
    if not SCB_CODE.match(code):
        raise InvalidMunicipality("the municipality code is the 4-digit SCB code, e.g. 0181")
    if not name.strip():
        raise InvalidMunicipality("the municipality needs a name")
    existing = await get_by_code(session, code)
    if existing is not None:
        return existing, False
    municipality = Municipality(code=code, name=name.strip())
    session.add(municipality)
    await session.flush()
    await _install_defaults(session, municipality)
    return municipality, True


async def _install_defaults(session: AsyncSession, municipality: Municipality) -> None:
    """What every municipality starts with: the default budget-category chart. Done acting as
    the system in the new municipality; the session is then handed back as it came."""
    from app.auth.deps import system_ctx
    from app.budget.categories import ensure_default_chart

    kept = dict(session.info)
    try:
        await ensure_default_chart(system_ctx(session, municipality.id, municipality.code))
    finally:
        session.info.clear()
        session.info.update(kept)
