"""A small workflow through the Python client generated from openapi/openapi.json (scripts/test).

What an integration developer does first: create an org unit, an indicator and its target, put a
measurement, post a JSON and a CSV batch, read the scorecard, download a CSV and an XLSX export and
the committee report, and read a problem detail. Every answer must parse into the generated
models; any surprise fails the run.

    python clients/workflow.py BASE_URL API_KEY   (the generated package ``styrkort_client``
    must be importable, e.g. PYTHONPATH=<directory holding it>)
"""

import datetime
import io
import sys
import uuid
from http import HTTPStatus

from styrkort_client import AuthenticatedClient
from styrkort_client.api.exports import exports_committee_report, exports_get
from styrkort_client.api.indicators import indicators_create, indicators_put_target
from styrkort_client.api.measurements import measurements_batch, measurements_put
from styrkort_client.api.org_units import org_units_create, org_units_get
from styrkort_client.api.scorecard import scorecard_get
from styrkort_client.models import (
    Aggregation,
    ExportFormat,
    ExportsCommitteeReportFormat,
    ExportsGetKind,
    ImportSummary,
    IndicatorCreate,
    IndicatorRead,
    MeasurementWrite,
    OrgUnitCreate,
    OrgUnitKind,
    OrgUnitRead,
    Periodicity,
    Polarity,
    ProblemDetails,
    Scorecard,
    TargetKind,
    TargetWrite,
    Unit,
)
from styrkort_client.types import File

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX file is a ZIP archive


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"client workflow: {what}")


def main(base_url: str, api_key: str) -> None:
    client = AuthenticatedClient(
        base_url=base_url, token=api_key, prefix="", auth_header_name="X-API-Key"
    )
    suffix = uuid.uuid4().hex[:8].upper()

    unit = org_units_create.sync(
        client=client,
        body=OrgUnitCreate(
            code=f"WFU-{suffix}",
            name="Workflow committee",
            kind=OrgUnitKind.COMMITTEE,
            valid_from=datetime.date(2023, 1, 1),
        ),
    )
    check(isinstance(unit, OrgUnitRead), f"create org unit answered {unit!r}")
    assert isinstance(unit, OrgUnitRead)

    indicator = indicators_create.sync(
        client=client,
        body=IndicatorCreate(
            title="Workflow indicator",
            code=f"WFI-{suffix}",
            unit=Unit.COUNT,
            polarity=Polarity.HIGHER_IS_BETTER,
            periodicity=Periodicity.MONTH,
            aggregation=Aggregation.SUM,
            valid_from_year=2023,
        ),
    )
    check(isinstance(indicator, IndicatorRead), f"create indicator answered {indicator!r}")
    assert isinstance(indicator, IndicatorRead)

    target = indicators_put_target.sync_detailed(
        indicator.id, 2023, client=client, body=TargetWrite(kind=TargetKind.AT_LEAST, value=10)
    )
    check(target.status_code in {HTTPStatus.OK, HTTPStatus.CREATED}, f"target {target}")
    check(target.parsed is not None, "the target answer did not parse")

    measured = measurements_put.sync_detailed(
        client=client,
        body=MeasurementWrite(
            indicator_id=indicator.id, org_unit_id=unit.id, period="2023-01", value=12
        ),
    )
    check(measured.status_code in {HTTPStatus.OK, HTTPStatus.CREATED}, f"measurement {measured}")

    json_batch = measurements_batch.sync(
        client=client,
        body=[
            MeasurementWrite(
                indicator_code=indicator.code,
                org_unit_code=unit.code,
                period="2023-02",
                value=11,
            )
        ],
    )
    check(isinstance(json_batch, ImportSummary), f"JSON batch answered {json_batch!r}")

    csv_text = (
        f"indicator_code,org_unit_code,period,value\n{indicator.code},{unit.code},2023-03,9\n"
    )
    csv_batch = measurements_batch.sync(
        client=client,
        body=File(payload=io.BytesIO(csv_text.encode()), mime_type="text/csv"),
    )
    check(isinstance(csv_batch, ImportSummary), f"CSV batch answered {csv_batch!r}")

    card = scorecard_get.sync(client=client, period="2023-03", org_unit_id=unit.id)
    check(isinstance(card, Scorecard), f"scorecard answered {card!r}")

    csv_export = exports_get.sync_detailed(
        ExportsGetKind.MEASUREMENTS, client=client, indicator_id=indicator.id
    )
    check(csv_export.status_code == HTTPStatus.OK, f"CSV export {csv_export.status_code}")
    check(
        csv_export.content.decode("utf-8-sig").count(indicator.code) == 3,
        "the CSV export lacks the three measurements",
    )
    xlsx_export = exports_get.sync_detailed(
        ExportsGetKind.MEASUREMENTS, client=client, format_=ExportFormat.XLSX
    )
    check(xlsx_export.content.startswith(XLSX_MAGIC), "the XLSX export is not an XLSX file")

    report = exports_committee_report.sync_detailed(
        client=client,
        org_unit_id=unit.id,
        period="2023-T1",
        format_=ExportsCommitteeReportFormat.XLSX,
    )
    check(report.status_code == HTTPStatus.OK, f"committee report {report.status_code}")
    check(report.content.startswith(XLSX_MAGIC), "the committee report is not an XLSX file")

    missing = org_units_get.sync(uuid.uuid4(), client=client)
    check(isinstance(missing, ProblemDetails), f"a missing org unit answered {missing!r}")
    assert isinstance(missing, ProblemDetails)
    check(missing.status == HTTPStatus.NOT_FOUND, f"a missing org unit is {missing.status}")
    print("client workflow: passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
