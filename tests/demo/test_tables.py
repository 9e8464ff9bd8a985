"""The demo's seed tables as data files: each names its source, each ships with the package."""

import fnmatch
import tomllib
from pathlib import Path

import pytest

from app.demo import tables
from app.demo.plans import PLANS, read_plan
from app.demo.tables import parse_csv, parse_json, read_table

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "app" / "demo" / "data"


def _data_files() -> list[Path]:
    return sorted(path for path in DATA.iterdir() if path.is_file())


@pytest.mark.parametrize("path", _data_files(), ids=lambda path: path.name)
def test_every_table_names_its_seed_and_reads(path):
    table = read_table(path.name)
    assert table.source.startswith("seed ")
    assert table.rows


def test_every_data_file_is_package_data():
    """pip install (and so the Docker image's venv) carries exactly what pyproject lists."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["app.demo"]
    for path in _data_files():
        relative = f"data/{path.name}"
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_csv_metadata_and_empty_cells():
    table = parse_csv(
        "x.csv",
        "# source: seed 004 line 1387\n# municipality: 0181\ncode,parent\nSN,\nAF,SN\n",
    )
    assert table.source == "seed 004 line 1387"
    assert table.meta["municipality"] == "0181"
    assert table.rows == [{"code": "SN", "parent": None}, {"code": "AF", "parent": "SN"}]


def test_json_rows_and_metadata():
    table = parse_json("x.json", '{"source": "seed 003 Bilaga A", "rows": [{"code": "1"}]}')
    assert (table.source, table.rows) == ("seed 003 Bilaga A", [{"code": "1"}])


@pytest.mark.parametrize(
    ("name", "text"),
    [("x.csv", "code\nSN\n"), ("x.json", '{"rows": []}'), ("x.json", '{"source": "", "rows": []}')],
)
def test_a_table_without_its_source_is_refused(name, text):
    parse = parse_csv if name.endswith(".csv") else parse_json
    with pytest.raises(ValueError, match="source"):
        parse(name, text)


def test_only_csv_and_json():
    with pytest.raises(ValueError, match=r"\.csv or a \.json"):
        tables.read_table("orgs_0181.txt")


def test_a_municipality_reads_its_own_plan_from_its_own_folder(tmp_path):
    """The shape is the product: the same two files under another code, from another folder,
    read into the same plan."""
    for part in ("indicators", "goals"):
        text = (DATA / f"plan_0181_{part}.json").read_text(encoding="utf-8")
        (tmp_path / f"plan_9999_{part}.json").write_text(text, encoding="utf-8")
    theirs = read_plan("9999", tmp_path)
    ours = next(plan for plan in PLANS if plan.municipality == "0181")
    assert theirs.municipality == "9999"
    assert (theirs.indicators, theirs.goals) == (ours.indicators, ours.goals)
    assert len(theirs.indicators) == 32  # seed 004: every indicator of the plan
