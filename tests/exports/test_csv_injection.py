"""CSV exports never hand a spreadsheet a formula (OWASP "CSV injection"), on both CSV paths.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a TAB or a CR gets a leading ``'`` so Excel
and LibreOffice show it as text; a CR or LF inside a cell is quoted so the row holds together;
numbers stay numbers, a negative one included. On PostgreSQL the same export is taken through
COPY and through the Python writer and must be the same bytes.
"""

import csv
import io

import pytest

from app.exports import service
from app.exports.formats import neutralise
from app.exports.pgcopy import copy_csv
from tests.exports.test_exports import EXPORTS
from tests.exports.test_pgcopy import python_path

COMMENTS = {
    "01": '=HYPERLINK("http://evil.test","klicka")',
    "02": "+46 70 123",
    "03": "-1+1",
    "04": "@SUM(A1:A9)",
    "05": "\tflik",
    "06": "\rvagnretur",
    "07": "mitt i\rraden",
    "08": "vanlig text = inte formel",
}
EXPECTED = {
    "01": '\'=HYPERLINK("http://evil.test","klicka")',
    "02": "'+46 70 123",
    "03": "'-1+1",
    "04": "'@SUM(A1:A9)",
    "05": "'\tflik",
    "06": "'\rvagnretur",
    "07": "mitt i\rraden",
    "08": "vanlig text = inte formel",
}


@pytest.mark.parametrize(("text", "expected"), [(COMMENTS[m], EXPECTED[m]) for m in COMMENTS])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


@pytest.fixture
async def formulas(client, tenant):
    h = tenant.admin
    unit = await client.post(
        "/api/v1/org-units",
        json={"code": "U", "name": "@Enhet", "kind": "office", "valid_from": "2019-01-01"},
        headers=h,
    )
    assert unit.status_code == 201, unit.text
    indicator = await client.post(
        "/api/v1/indicators",
        json={
            "code": "NETTO",
            "title": "=1+1",
            "unit": "sek",
            "polarity": "higher_is_better",
            "periodicity": "month",
            "aggregation": "sum",
            "valid_from_year": 2023,
        },
        headers=h,
    )
    assert indicator.status_code == 201, indicator.text
    for month, comment in COMMENTS.items():
        body = {
            "indicator_id": indicator.json()["id"],
            "org_unit_id": unit.json()["id"],
            "period": f"2023-{month}",
            "value": f"-{int(month)}.50",
            "comment": comment,
        }
        response = await client.put("/api/v1/measurements", json=body, headers=h)
        assert response.status_code == 201, response.text


async def _rows(client, tenant, **params):
    response = await client.get(
        f"{EXPORTS}/measurements", params={"format": "csv", **params}, headers=tenant.admin
    )
    assert response.status_code == 200, response.text
    return response


def _check(response, delimiter: str) -> None:
    text = response.content.decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert len(lines) == len(COMMENTS)  # no CR split a row
    at = {name: i for i, name in enumerate(header)}
    decimal = "," if delimiter == ";" else "."
    for line in lines:
        month = line[at["period"]][-2:]
        assert line[at["comment"]] == EXPECTED[month]
        assert line[at["value"]] == f"-{int(month)}{decimal}5"  # a number, not neutralised
        assert line[at["org_unit_code"]] == "U"
        assert line[at["indicator_title"]] == "'=1+1"


@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_formula_cells_are_neutralised(client, tenant, formulas, delimiter):
    _check(await _rows(client, tenant, delimiter=delimiter), delimiter)


@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_copy_neutralises_exactly_as_python_does(
    app, client, tenant, formulas, monkeypatch, delimiter
):
    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite always takes the Python path")
    copies = []

    def spy(*args):
        copies.append(args)
        return copy_csv(*args)

    monkeypatch.setattr(service, "copy_csv", spy)
    copied = await _rows(client, tenant, delimiter=delimiter)
    assert copies
    as_of = copied.headers["x-export-as-of"]
    python_path(monkeypatch)
    written = await _rows(client, tenant, delimiter=delimiter, as_of=as_of)
    _check(copied, delimiter)
    assert copied.content == written.content
