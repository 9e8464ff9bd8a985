"""The standard set of placement categories (DOMAIN §8), materialised per municipality.

Categories are rows of each municipality (they carry ids, a municipality may rename them and add
its own reporting categories, e.g. Södertälje's "all placements of children" of seed 004 table
2). The standard set below is added, where its codes are missing, by every placement write and by
``POST /api/v1/placement-categories/standard-set``; existing rows are never changed.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.deps import Ctx
from app.placements.models import (
    PlacementCategory,
    PlacementLegalBasis,
    PlacementRegime,
    PlacementTargetGroup,
)

SoL, LVU, LVM = PlacementLegalBasis.SOL, PlacementLegalBasis.LVU, PlacementLegalBasis.LVM
CHILDREN, ADULTS = PlacementTargetGroup.CHILDREN, PlacementTargetGroup.ADULTS
OWN, EXTERNAL = PlacementRegime.OWN, PlacementRegime.EXTERNAL


@dataclass(frozen=True)
class StandardCategory:
    code: str
    name: str
    legal_basis: tuple[PlacementLegalBasis, ...]
    target_group: PlacementTargetGroup
    regime: PlacementRegime


STANDARD_CATEGORIES: tuple[StandardCategory, ...] = (
    StandardCategory("HVB-BARN", "HVB barn och unga", (SoL, LVU), CHILDREN, EXTERNAL),
    StandardCategory("HVB-VUXEN", "HVB vuxna", (SoL,), ADULTS, EXTERNAL),
    StandardCategory("FH-EGEN", "Familjehem, egna", (SoL, LVU), CHILDREN, OWN),
    StandardCategory("FH-KOPT", "Familjehem, köpta", (SoL, LVU), CHILDREN, EXTERNAL),
    StandardCategory("FH-KONSULENT", "Familjehem, konsulentstödda", (SoL, LVU), CHILDREN, EXTERNAL),
    StandardCategory("JOURHEM", "Jourhem", (SoL, LVU), CHILDREN, OWN),
    StandardCategory("SIS-LVU", "SiS särskilt ungdomshem (LVU)", (LVU,), CHILDREN, EXTERNAL),
    StandardCategory("SIS-LVM", "SiS LVM-hem", (LVM,), ADULTS, EXTERNAL),
    StandardCategory("STODBOENDE", "Stödboende", (SoL,), CHILDREN, EXTERNAL),
    StandardCategory("SKYDDAT", "Skyddat boende", (SoL,), ADULTS, EXTERNAL),
    StandardCategory(
        "SOCPSYK-EXT", "Socialpsykiatri, externa placeringar", (SoL,), ADULTS, EXTERNAL
    ),
)


async def ensure_standard_categories(ctx: Ctx) -> int:
    """Add the standard categories whose codes the municipality lacks; return how many.

    Flushed in a savepoint, not committed: the caller's unit of work commits them with its own
    writes. Should a concurrent request add them first, its rows stand and ours are dropped.
    """
    codes = set((await ctx.session.scalars(select(PlacementCategory.code))).all())
    missing = [c for c in STANDARD_CATEGORIES if c.code not in codes]
    if not missing:
        return 0
    try:
        async with ctx.session.begin_nested():
            ctx.session.add_all(
                PlacementCategory(
                    municipality_id=ctx.municipality_id,
                    code=category.code,
                    name=category.name,
                    legal_basis=[b.value for b in category.legal_basis],
                    target_group=category.target_group.value,
                    regime=category.regime.value,
                    standard=True,
                )
                for category in missing
            )
    except IntegrityError:
        return 0
    return len(missing)
