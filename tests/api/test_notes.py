"""``/api/v1/notes``: the council note as HTML and as an A4 PDF, held to what the graph says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg import queries
from kg.store import GraphStore

URL = "/api/v1/notes"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
A4_POINTS = (595.28, 841.89)   # 210 x 297 mm at 72 points per inch
PROFILE = {"maturity": "verkennend", "themes": ["hergebruik-herstel"], "barriers": ["kennis-bestuur"],
           "description": "Een repair café opstarten met de buurgemeenten"}
SMALL = "33037"   # Zonnebeke


def _params(profile: dict, **extra: str) -> list[tuple[str, str]]:
    pairs = [(k, v) for k, v in profile.items() if isinstance(v, str)]
    pairs += [(k, code) for k, v in profile.items() if isinstance(v, list) for code in v]
    return pairs + list(extra.items())


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _recommended(client: TestClient, profile: dict) -> dict:
    r = client.post("/api/v1/recommendations", json={"nis_code": SMALL, "profile": profile})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_pdf_is_one_or_two_a4_pages_with_the_three_practices_and_their_sources(
        client: TestClient) -> None:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is in the dev extra: make install")
    r = client.get(URL, params=_params(PROFILE, nis_code=SMALL, format="pdf"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert "kringloop-nota-zonnebeke.pdf" in r.headers["content-disposition"]
    pdf = pdfium.PdfDocument(r.content)
    assert 1 <= len(pdf) <= 2
    ARTIFACTS.mkdir(exist_ok=True)
    text = ""
    for number, page in enumerate(pdf, start=1):
        width, height = page.get_size()
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1, (width, height)
        image = page.render(scale=1.5).to_pil().convert("L")
        image.save(ARTIFACTS / f"note-pdf-page{number}.png")
        dark = sum(image.histogram()[:200]) / (image.width * image.height)
        assert dark > 0.01, f"page {number} is (nearly) blank: {dark:.2%} dark pixels"
        text += page.get_textpage().get_text_range() + "\n"
    flat = _flat(text)
    practices = _recommended(client, PROFILE)["practices"][:3]
    assert len(practices) == 3
    for practice in practices:
        assert _flat(practice["title"]) in flat, practice["title"]
    case = client.get(f"/api/v1/browse/cases/{practices[0]['id']}").json()
    assert case["sources"], "the first practice has a source in the graph"
    assert _flat(case["sources"][0]["title"]) in flat
    assert "113" in flat   # the survey's respondents


def test_the_note_shows_what_the_recommendations_show_in_the_same_order(client: TestClient) -> None:
    r = client.get(URL, params=_params(PROFILE, nis_code=SMALL))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    recommended = _recommended(client, PROFILE)
    shown_practices = re.findall(r'data-testid="note-practice">\s*<h3>\d+\. <a href="[^"]*/praktijk/([^"]+)"', html)
    assert shown_practices == [p["id"] for p in recommended["practices"][:3]]
    shown_peers = re.findall(r'data-testid="note-peer"><a href="[^"]*/bestuur/([^"]+)"', html)
    assert shown_peers == [p["nis_code"] or p["iri"].rsplit("/", 1)[-1] for p in recommended["peers"][:5]]
    # each peer's "why" is the recommender's own first reason
    assert recommended["peers"][0]["reasons"][0]["text_nl"].replace("'", "&#39;") in html
    # the strict CSP of the pages: no inline script
    assert "<script>" not in html and 'src="/static/note.js"' in html


def test_the_need_is_the_profile_as_given_and_nothing_else(client: TestClient, graph_store: GraphStore) -> None:
    html = client.get(URL, params=_params({"themes": ["textiel"]}, nis_code="24062")).text
    need = html.split('data-testid="note-need"')[1].split("</dl>")[0]
    assert "Textiel" in need
    # Leuven's own practices are about reuse, but the user did not give that theme
    assert "Herstel en hergebruik" not in need and "Maturiteit" not in need


def test_unknown_maturity_is_said_plainly_and_a_given_one_is_placed_among_the_respondents(
        client: TestClient, graph_store: GraphStore) -> None:
    share = {r["category"]: r["value"] for r in queries.select(graph_store, "browse_survey")
             if r["code"].startswith("adoptiegroep-")}
    unknown = client.get(URL, params={"nis_code": SMALL}).text
    assert "De maturiteit van Zonnebeke is niet bekend" in unknown
    assert "← Zonnebeke" not in unknown
    known = client.get(URL, params={"nis_code": SMALL, "maturity": "actief"}).text
    sentence = known.split('data-testid="note-maturity">')[1].split("</p>")[0]
    assert "Early majority" in sentence and f"{round(share['early-majority'] * 100)} %" in sentence
    assert "niet bekend" not in sentence
    assert re.search(r'<tr class="own"><th scope="row">Early majority ← Zonnebeke', known)


def test_english_with_lang_en(client: TestClient) -> None:
    html = client.get(URL, params={"nis_code": SMALL, "lang": "en"}).text
    assert '<html lang="en">' in html and "Three practices to learn from" in html
    assert "The maturity of Zonnebeke is not known" in html


def test_post_takes_a_recommendations_body_and_answers_pdf_by_accept(client: TestClient) -> None:
    body = {"nis_code": SMALL, "profile": PROFILE}
    html = client.post(URL, json=body)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    # the note's own link brings the same note back with GET (it can be shared)
    link = re.search(r'data-testid="note-self">([^<]+)<', html.text).group(1).replace("&amp;", "&")
    assert "nis_code=33037" in link and "themes=hergebruik-herstel" in link
    again = client.get(link.removeprefix("http://testserver"))
    assert re.findall(r"/praktijk/([^\"]+)", again.text) == re.findall(r"/praktijk/([^\"]+)", html.text)
    pdf = client.post(URL, json=body, headers={"Accept": "application/pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(("method", "request_args", "field"), [
    ("GET", {"params": {"themes": "geen-thema"}}, "query.themes.0"),
    ("GET", {"params": {"nis_code": "99999"}}, "query.nis_code"),
    ("GET", {"params": {"nis_code": "123"}}, "query.nis_code"),
    ("GET", {"params": {"population": "-4"}}, "query.population"),
    ("GET", {"params": {"nis_code": SMALL, "format": "docx"}}, "query.format"),
    ("GET", {"params": {}}, "profile"),
    ("POST", {"json": {"profile": {"maturity": "halfweg"}}}, "profile.maturity"),
    ("POST", {"json": {"nis_code": "99999"}}, "nis_code"),
], ids=["unknown-theme", "unknown-nis", "malformed-nis", "negative-population", "bad-format", "empty",
        "unknown-maturity", "post-unknown-nis"])
def test_bad_input_gets_422_naming_the_field(client: TestClient, method: str, request_args: dict, field: str) -> None:
    r = client.request(method, URL, **request_args)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == 422
    assert body["errors"][0]["field"] == field and body["error"].startswith(field)


def test_drawing_a_pdf_fetches_nothing() -> None:
    """The PDF's URL fetcher refuses every URL: a listener on 127.0.0.1 receives no connection."""
    import socket

    weasyprint = pytest.importorskip("weasyprint")
    from api.notes._render import _NoFetching

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        html = (f'<link rel="stylesheet" href="{url}/x.css"><p>note</p><img src="{url}/x.png">'
                f'<p style="background: url({url}/bg.png)">x</p>')
        pdf = weasyprint.HTML(string=html, url_fetcher=_NoFetching()).write_pdf()
        assert pdf.startswith(b"%PDF")
        with pytest.raises(TimeoutError):
            listener.accept()
