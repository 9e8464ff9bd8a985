"""The docs pages work without internet (issue 19): everything they load is served here."""

import re

import pytest

REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'|spec-url="([^"]+)\""""
)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_every_asset_a_docs_page_references_is_served_locally(client, page):
    html = await client.get(page)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    references = [next(g for g in m.groups() if g) for m in REFERENCE.finditer(html.text)]
    assert any(r.endswith(".js") for r in references), references
    assert "openapi.json" in " ".join(references)
    for reference in references:
        assert reference.startswith("/"), f"{page} loads {reference} from elsewhere"
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.content, reference
    assert "cdn" not in html.text.lower()
    assert "fonts.googleapis" not in html.text


async def test_the_swagger_ui_oauth2_redirect_page_is_served(client):
    assert (await client.get("/docs/oauth2-redirect")).status_code == 200
