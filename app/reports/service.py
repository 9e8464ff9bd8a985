"""The committee report document for a query: its data (kept), then HTML, or PDF from that HTML."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from app.auth.deps import Ctx
from app.periods import Period
from app.reports.catalogue import Lang
from app.reports.data import document_data
from app.reports.document import render_html, render_pdf

DocumentFormat = Literal["html", "pdf"]
MEDIA_TYPES: dict[str, str] = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


async def committee_document(
    ctx: Ctx,
    org_unit_id: uuid.UUID,
    period: Period,
    as_of: datetime,
    query: dict[str, str],
    fmt: DocumentFormat,
    lang: Lang,
) -> bytes:
    data = await document_data(ctx, org_unit_id, period, as_of, query)
    html = render_html(data, lang, as_of)
    return html if fmt == "html" else render_pdf(html)
