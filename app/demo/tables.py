"""Seed tables as data files: one per table of a seed document, in ``app/demo/data/``.

A municipality loads its own plan the same way: write the tables in these shapes and hand them to
the loaders in ``app.demo`` (which go through the API's services, validated and audited).

Two formats, one reader:

* **CSV** (flat tables: org units, budget lines, placement tables, counts per year): UTF-8,
  comma-separated, a header row. Before it, lines starting with ``#`` carry metadata as
  ``# key: value`` — at least ``source`` (the seed document and its page, section or lines).
  An empty cell is None; every other cell is text, converted by the module that reads it.
* **JSON** (nested tables: indicators with their targets, goals with their indicators): an
  object with ``source`` (and any other metadata) and ``rows``, a list of objects. Exact
  numbers are written as strings ("72", "0.10") so that nothing passes through a float.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

DATA_PACKAGE = "app.demo"
DATA_DIR = "data"


@dataclass(frozen=True)
class Table:
    name: str  # the file's name, e.g. "orgs_2380.csv"
    source: str  # the seed document and where in it the table is
    rows: list[dict[str, Any]]
    meta: dict[str, str] = field(default_factory=dict)


def read_table(name: str, directory: Path | None = None) -> Table:
    """The table ``name`` (``.csv`` or ``.json``) in ``directory``, by default the demo's own
    ``app/demo/data/`` as installed with the package."""
    if not name.endswith((".csv", ".json")):
        raise ValueError(f"{name}: a seed table is a .csv or a .json file")
    if directory is None:
        text = resources.files(DATA_PACKAGE).joinpath(DATA_DIR, name).read_text(encoding="utf-8")
    else:
        text = (directory / name).read_text(encoding="utf-8")
    return parse_csv(name, text) if name.endswith(".csv") else parse_json(name, text)


def parse_csv(name: str, text: str) -> Table:
    lines = text.splitlines()
    meta: dict[str, str] = {}
    body_start = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    for line in lines[:body_start]:
        key, _, value = line[1:].partition(":")
        meta[key.strip()] = value.strip()
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])))
    rows = [{key: (cell if cell != "" else None) for key, cell in row.items()} for row in reader]
    return Table(name=name, source=_source(name, meta), rows=rows, meta=meta)


def parse_json(name: str, text: str) -> Table:
    document = json.loads(text)
    meta = {key: value for key, value in document.items() if key != "rows"}
    return Table(name=name, source=_source(name, meta), rows=list(document["rows"]), meta=meta)


def _source(name: str, meta: dict[str, Any]) -> str:
    source = meta.get("source")
    if not source:
        raise ValueError(f"{name}: a seed table names its source (seed document and page)")
    return str(source)
