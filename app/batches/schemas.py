import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class RowErrorOut(BaseModel):
    index: int = Field(description="0-based position of the row in the request (CSV: data rows).")
    key: dict[str, Any] = Field(
        description="The row's natural key as sent.",
        examples=[
            {"indicator": "HR-SJUK", "org_unit": "BOU", "period": "2023-03", "gender": "women"}
        ],
    )
    field: str = Field(examples=["denominator"])
    code: str = Field(examples=["ratio_pair"])
    message: str


class ImportSummary(BaseModel):
    """What an import did. Rejected rows are listed one error per line (a row may have several)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "batch_id": "01a2088a-3c1e-7a01-9a0e-5f2d7c3b9e10",
                    "kind": "measurements",
                    "mode": "partial",
                    "dry_run": False,
                    "received": 3,
                    "created": 1,
                    "updated": 0,
                    "unchanged": 1,
                    "rejected": 1,
                    "errors": [
                        {
                            "index": 2,
                            "key": {
                                "indicator": "HR-SJUK",
                                "org_unit": "BOU",
                                "period": "2023-13",
                                "gender": "total",
                            },
                            "field": "period",
                            "code": "period_format",
                            "message": "give a period as 2023, 2023-T2 or 2023-05",
                        }
                    ],
                }
            ]
        }
    )

    batch_id: uuid.UUID | None = Field(
        description="Stored on every value written and on its audit events; null for a dry run."
    )
    kind: str
    mode: Literal["atomic", "partial"]
    dry_run: bool
    received: int
    created: int
    updated: int
    unchanged: int = Field(description="Rows whose content equals the current value: no version.")
    rejected: int
    errors: list[RowErrorOut]
    created_at: datetime | None = None
    created_by: str | None = None
