"""Budget-line amounts and periods at their edges (issue 16).

The issue reads the README's "a positive amount" as refusing 0. The seeds say otherwise: seed 002
budgets 0 kr of revenue for several units and seed 003 a "+/-0 budget" for refugees, so a 0 line
is a real budget (and differs from no budget, which is unbudgeted spending). The README now says
"zero or more"; a negative amount is refused (the category says revenue or cost).
"""

from tests.budget.conftest import BATCH, line


async def test_zero_lands_and_a_negative_amount_or_a_far_period_is_refused(
    client, tenant, committee
):
    rows = [
        line("AF", "COST-GRANTS", "2022-01", "outcome", 0),
        line("AF", "COST-GRANTS", "2300", "budget", 5),
        line("AF", "COST-GRANTS", "2022-02", "outcome", -1),
        line("AF", "COST-GRANTS", "2100", "budget", 5),
    ]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["created"], summary["rejected"]) == (2, 2)
    assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
        (1, "period", "period_range"),
        (2, "amount", "greater_than_equal"),
    ]
