"""Search over HTTP and in the browser: the JSON API's parameters and errors, the home page with a
typo, a facet, pages, a shared URL that reloads to the same results, and the back button.

Counts are compared with the API's own answer for the same URL parameters, and the API's answers
with the graph in tests/api/test_search.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

SEARCH = "/api/v1/browse/search"


@pytest.fixture(scope="module")
def client(live_server: object) -> httpx.Client:
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


def test_facets_repeat_combine_and_page(client: httpx.Client) -> None:
    base = client.get(SEARCH, params={"q": "circulair", "per_page": 100}).json()
    either = client.get(SEARCH, params={"q": "circulair", "theme": ["textiel", "circulair-bouwen"],
                                        "per_page": 100}).json()
    both = client.get(SEARCH, params=[("q", "circulair"), ("theme", "circulair-bouwen"), ("status", "lopend"),
                                      ("per_page", "100")]).json()
    assert either["filters"] == {"theme": ["textiel", "circulair-bouwen"]}
    counts = {v["code"]: v["count"] for v in next(f for f in base["facets"] if f["field"] == "theme")["values"]}
    assert max(counts["textiel"], counts["circulair-bouwen"]) <= either["cases_total"] \
        <= counts["textiel"] + counts["circulair-bouwen"]
    assert {c["id"] for c in both["cases"]} <= {c["id"] for c in either["cases"]} | {c["id"] for c in base["cases"]}
    status = {v["code"]: v["count"] for v in next(f for f in both["facets"] if f["field"] == "status")["values"]}
    assert both["cases_total"] == status["lopend"]
    assert all(any(t["code"] == "circulair-bouwen" for t in c["themes"]) and c["status"]["code"] == "lopend"
               for c in both["cases"])

    page_two = client.get(SEARCH, params={"q": "circulair", "per_page": 10, "page": 2}).json()
    assert (page_two["page"], page_two["per_page"]) == (2, 10)
    assert [c["id"] for c in page_two["cases"]] == [c["id"] for c in base["cases"][10:20]]


def test_english_query_and_the_older_limit_parameter(client: httpx.Client) -> None:
    english = client.get(SEARCH, params={"q": "reusable cups", "lang": "en"}).json()
    assert english["cases_total"] >= 5 and "reusable cup" in english["cases"][0]["summary"]["en"].lower()
    limited = client.get(SEARCH, params={"q": "leuven", "limit": 2}).json()
    assert len(limited["organisations"]) == 2 < limited["organisations_total"]
    assert len(limited["cases"]) == 2 and limited["per_page"] == 2


@pytest.mark.parametrize(("params", "field", "valid"), [
    ({"q": "circulair", "theme": "kringloopwinkels"}, "theme", "textiel"),
    ({"q": "circulair", "size": "reus"}, "size", "klein"),
    ({"q": "circulair", "year": "later"}, "year", "2020"),
    ({"q": "circulair", "page": 999}, "page", None),
    ({"q": "circulair", "per_page": 0}, "per_page", None),
    ({"q": "circulair", "page": 0}, "page", None),
], ids=["theme", "size", "year", "page-past-end", "per-page-0", "page-0"])
def test_bad_parameters_get_422_naming_the_field(client: httpx.Client, params: dict, field: str,
                                                 valid: str | None) -> None:
    response = client.get(SEARCH, params=params)
    body = response.json()
    assert response.status_code == 422 and body["ok"] is False and body["status"] == 422
    assert body["errors"][0]["field"].endswith(field)
    assert body["error"].split(":")[0].endswith(field)
    if valid:
        assert valid in body["errors"][0]["valid"] and valid in body["error"]


def test_the_home_page_renders_the_first_page_with_summaries_without_javascript(client: httpx.Client) -> None:
    html = client.get("/", params={"q": "leuvn"}).text
    assert "‘leuvn’ komt niet voor; gezocht naar: leuven." in html
    assert '<a href="/bestuur/24062">Leuven</a>' in html
    english = client.get("/", params={"q": "reusable cups", "lang": "en"}).text
    assert re.search(r'class="result-summary">[^<]*reusable cups', english, re.IGNORECASE)
    assert re.search(r'aria-label="Themes"><li>', english)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_search_with_a_typo_a_facet_pages_and_a_shared_url(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Zoek een bestuur, praktijk of organisatie").fill("hergebruk")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [data-testid=facet-theme]')")
    assert "gezocht naar: hergebruik" in page.get_by_test_id("search-correction").inner_text()
    assert _query(page.url) == {"q": ["hergebruk"]}

    theme = page.get_by_test_id("facet-theme").locator("input[value=hergebruik-herstel]")
    label = page.locator("[data-testid=facet-theme] label:has(input[value=hergebruik-herstel])").inner_text()
    assert re.fullmatch(r"Herstel en hergebruik \(\d+\)", label.strip())
    expected = int(re.search(r"\((\d+)\)", label).group(1))
    theme.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => new URLSearchParams(location.search).get('theme') === 'hergebruik-herstel'"
                           " && document.querySelector('.search-results[data-ready=true]')")
    total = page.get_by_test_id("cases-total")
    assert total.inner_text() == f"{expected} praktijken"
    # the keyboard user stays on the box just ticked, and hears the new count
    page.wait_for_function("() => document.activeElement.value === 'hergebruik-herstel'")
    assert page.locator("#search-status").text_content().startswith(f"{expected} praktijken. Pagina 1 van")
    pages = -(-expected // 20)
    assert pages >= 3
    first_page = page.get_by_test_id("case-result").locator("h4").all_inner_texts()
    assert len(first_page) == 20
    assert all(card.locator(".tags li").count() >= 1 and card.locator(".result-summary").inner_text()
               for card in page.get_by_test_id("case-result").all()[:5])

    for number in (2, 3):
        page.get_by_test_id("page-next").click()
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('page') === '{number}'"
                               " && document.querySelector('.search-results[data-ready=true] [aria-current=page]')"
                               f"?.textContent === '{number}'")
    third_page = page.get_by_test_id("case-result").locator("h4").all_inner_texts()
    assert not set(third_page) & set(first_page)
    shared = page.url
    assert _query(shared) == {"q": ["hergebruk"], "theme": ["hergebruik-herstel"], "page": ["3"]}
    page.get_by_test_id("search-results").screenshot(path=artifacts / "home-search-facets.png")

    # someone opens the shared link: the same page of the same results, the facet still ticked
    page.goto(shared)
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [aria-current=page]')"
                           "?.textContent === '3'")
    assert page.get_by_test_id("case-result").locator("h4").all_inner_texts() == third_page
    assert page.get_by_test_id("facet-theme").locator("input[value=hergebruik-herstel]").is_checked()
    assert page.locator("#q").input_value() == "hergebruk"
    assert "theme=hergebruik-herstel" in page.get_by_test_id("lang-switch").get_attribute("href")

    # clearing the filters keeps the query and goes back to every practice found
    page.get_by_test_id("clear-filters").click()
    page.wait_for_function("() => !location.search.includes('theme=')"
                           " && document.querySelector('.search-results[data-ready=true]')")
    assert _query(page.url) == {"q": ["hergebruk"]}
    assert int(page.get_by_test_id("cases-total").inner_text().split()[0]) > expected
    page.go_back()
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [aria-current=page]')"
                           "?.textContent === '3'")

    # back steps to page 2, back again to page 1
    page.go_back()
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [aria-current=page]')"
                           "?.textContent === '2'")
    page.go_back()
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [aria-current=page]')"
                           "?.textContent === '1'")
    assert page.get_by_test_id("case-result").locator("h4").all_inner_texts() == first_page

    # in English, the same shared URL gives English summaries and facet names
    page.goto(shared + "&lang=en")
    page.wait_for_function("() => document.querySelector('.search-results[data-ready=true]')")
    assert page.get_by_test_id("facet-theme").locator("summary").inner_text().startswith("Theme")
    assert page.get_by_test_id("cases-total").inner_text() == f"{expected} practices"
    page.get_by_test_id("search-results").screenshot(path=artifacts / "home-search-facets-en.png")


def test_search_on_a_phone_keeps_facets_and_pager_in_the_width(phone_page: object, live_server: object,
                                                               artifacts: Path) -> None:
    phone_page.goto(live_server.url + "/?q=circulair&page=2", wait_until="networkidle")
    phone_page.wait_for_function("() => document.querySelector('.search-results[data-ready=true] [data-testid=pager]')")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = phone_page.evaluate("""[...document.querySelectorAll('.search-results *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map(e => e.tagName + '.' + e.className)""")
    assert overflow <= 0 and wide == [], wide
    # on a phone the facets start folded, so the first practices are one scroll away
    assert phone_page.locator("details.facet[open]").count() == 0
    phone_page.evaluate("window.scrollTo(0, document.getElementById('results-heading').offsetTop)")
    phone_page.screenshot(path=artifacts / "home-search-phone.png", full_page=False)


def test_every_search_label_exists_in_dutch_and_english() -> None:
    import json

    from api.search import FACETS

    static = Path(__file__).resolve().parents[2] / "api" / "static"
    labels = json.loads((static / "i18n.json").read_text(encoding="utf-8"))
    # every quoted label name in home.js (passed to t() directly or through plural())
    used = {key for key in re.findall(r'"((?:search|home|gov|map|cop)\.[a-z_.0-9-]+)"',
                                      (static / "home.js").read_text(encoding="utf-8")) if not key.endswith(".")}
    used |= {f"search.facet.{name}" for name in FACETS}
    assert {"search.cases_one", "search.corrected", "search.page_of"} <= used
    assert {key for key in used if not (labels.get(key, {}).get("nl") and labels.get(key, {}).get("en"))} == set()
