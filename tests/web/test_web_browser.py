"""The pages in a real browser (Debian's headless Chromium): the scenarios of issue 6.

Each scenario saves a screenshot under test-artifacts/. Every page fixture fails its test when a
request leaves 127.0.0.1 (see conftest.py).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

SMALL = {"nis": "33037", "name": "Zonnebeke"}   # 12,498 inhabitants, no cases of its own in the graph
CASE_ID = "leuven-resource-hub"                 # a lead and eight partners from four pentagon corners
PEER_FILL = "#1d4ed8"                            # kringloop.js STYLE_COLOURS.peer
SELF_FILL = "#c2410c"


def _fills(page: object, colour: str) -> int:
    return page.locator(f"path.leaflet-interactive[fill='{colour}']").count()


def test_small_municipality_fills_the_form_and_gets_peers_practices_reasons_and_map(
        page: object, live_server: object, artifacts: Path) -> None:
    recommendation_posts: list[str] = []
    page.on("request", lambda r: recommendation_posts.append(r.method)
            if r.url.endswith("/api/v1/recommendations") else None)
    page.goto(live_server.url + "/vind-peers")
    # choosing the municipality fills in what the graph knows (population, type, province)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/browse/governments/" + SMALL["nis"])):
        page.get_by_label("Gemeente", exact=True).select_option(SMALL["nis"])
    page.wait_for_function("() => document.getElementById('province').value !== ''")
    assert page.get_by_label("Aantal inwoners").input_value() == "12498"
    assert page.get_by_label("Provincie").input_value() == "West-Vlaanderen"
    page.get_by_label("Aantal inwoners").fill("12498")
    page.get_by_label("Circulaire economie wordt informeel besproken en verkend").check()
    page.get_by_label("Herstel en hergebruik").check()
    page.get_by_label("Duurzaam en circulair aankoopbeleid").check()
    page.get_by_label("Gebrek aan financiële middelen en menskracht").check()
    page.get_by_label("Behalen van de klimaatdoelstellingen").check()
    page.get_by_label("Beschrijf in eigen woorden").fill("Kleine landelijke gemeente; we willen een repair café en "
                                                           "circulair aankopen opstarten met de buurgemeenten.")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/recommendations")) as answer:
        page.get_by_role("button", name="Toon peers en praktijken").click()
    sent = answer.value.request.post_data_json
    assert sent["nis_code"] == SMALL["nis"] and sent["profile"]["population"] == 12498
    # themes filled in from the municipality's own practices are kept unless removed (test_web_note.py)
    assert "hergebruik-herstel" in sent["profile"]["themes"] and sent["profile"]["maturity"] == "verkennend"
    recommended = answer.value.json()

    results = page.get_by_test_id("intake-results")
    results.wait_for(state="visible")
    peers = results.locator("[data-testid=peers] li.reco")
    practices = results.locator("[data-testid=practices] li.reco")
    peers.first.wait_for()
    assert peers.count() >= 3
    assert practices.count() >= 3
    for item in (peers.first, practices.first):
        reasons = item.locator("ul.reasons li")
        assert reasons.count() >= 1 and reasons.first.inner_text().strip()
    assert peers.first.locator(".reco-head a").get_attribute("href").startswith("/bestuur/")
    assert practices.first.locator(".reco-head a").get_attribute("href").startswith("/praktijk/")

    assert [a.inner_text() for a in peers.locator(".reco-head > :first-child").all()] == [
        p["name"] for p in recommended["peers"]]
    page.locator("#intake-map[data-ready=true]").wait_for()
    # peers that are former municipalities (ended 2025) have no 2025 boundary to colour
    on_map = {f["properties"]["nis_code"] for f in page.request.get(live_server.url + "/api/v1/browse/map").json()["features"]}
    municipal_peers = {p["nis_code"] for p in recommended["peers"] if p["nis_code"] in on_map} - {SMALL["nis"]}
    assert _fills(page, PEER_FILL) == len(municipal_peers) > 0
    assert _fills(page, SELF_FILL) == 1
    assert recommendation_posts == ["POST"], "the page asks the recommender exactly once"
    results.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "intake-results.png", full_page=True)

    # the same answers can be registered, with the groups to join; registrations stay private
    page.get_by_label("CoP Circulair aankopen").check()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/registrations")) as registered:
        page.get_by_role("button", name="Registreer").click()
    assert registered.value.status == 201
    stored = registered.value.request.post_data_json
    assert stored["nis_code"] == SMALL["nis"] and stored["groups"] == ["cop-circulair-aankopen"]
    assert stored["profile"]["themes"] == sent["profile"]["themes"]
    page.get_by_test_id("reg-status").get_by_text("Geregistreerd").wait_for()
    assert page.request.get(live_server.url + "/api/v1/registrations").status == 401


def test_the_form_explains_bad_input_and_sends_nothing(page: object, live_server: object, artifacts: Path) -> None:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/v1/recommendations" in r.url else None)
    page.goto(live_server.url + "/vind-peers")
    page.get_by_role("button", name="Toon peers en praktijken").click()
    summary = page.locator("#form-errors")
    summary.wait_for(state="visible")
    assert "Kies uw gemeente of beantwoord minstens één vraag" in summary.inner_text()

    page.get_by_label("Aantal inwoners").fill("-40")
    page.get_by_role("button", name="Toon peers en praktijken").click()
    assert "Aantal inwoners: geef een geheel getal" in summary.inner_text()
    assert "minstens één vraag" not in summary.inner_text(), "one message per problem, not a follow-on one"
    assert page.get_by_label("Aantal inwoners").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "form-errors", "focus moves to the error summary"
    assert sent == []
    page.screenshot(path=artifacts / "intake-bad-input.png")


def test_a_case_page_shows_its_partner_graph(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(f"{live_server.url}/praktijk/{CASE_ID}")
    network = page.locator("#case-network[data-ready=true]")
    network.wait_for()
    rows = page.get_by_test_id("participants").locator("tbody tr")
    assert rows.count() == 9
    # one node per participant plus the case itself, one edge per participant
    assert network.get_attribute("data-nodes") == str(rows.count() + 1)
    assert network.get_attribute("data-edges") == str(rows.count())
    assert page.locator("#case-network canvas").count() >= 1
    assert "Trekker" in rows.first.inner_text() and "Leuven" in rows.first.inner_text()
    assert page.get_by_test_id("themes").locator("li").count() == 3
    sources = page.get_by_test_id("sources").locator("a")
    assert sources.count() >= 1 and sources.first.get_attribute("href").startswith("https://")
    page.screenshot(path=artifacts / "case-network.png", full_page=True)


def test_a_sparql_example_runs_and_downloads_csv(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/sparql-editor")
    select = page.get_by_label("Voorbeeldvraag")
    page.wait_for_function("() => document.querySelectorAll('#example option').length > 1")
    first_example = select.locator("option").nth(1).get_attribute("value")
    select.select_option(first_example)
    assert "SELECT" in page.get_by_label("SPARQL-vraag").inner_text().upper()
    page.get_by_role("button", name="Voer uit").click()
    table = page.get_by_test_id("sparql-table")
    table.wait_for()
    headers = [h.removeprefix("?") for h in table.locator("thead th").all_inner_texts()]
    body_rows = table.locator("tbody tr").count()
    assert headers and body_rows >= 1

    with page.expect_download() as info:
        page.get_by_test_id("sparql-downloads").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == headers
    assert len(rows) - 1 >= body_rows
    formats = page.get_by_test_id("sparql-downloads").locator("a").evaluate_all(
        "els => els.map(e => e.dataset.format)")
    assert formats == ["json", "xml", "csv", "tsv"]
    page.screenshot(path=artifacts / "sparql-results.png", full_page=True)


def test_a_cop_plan_is_made_and_exported(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/cop-planner")
    page.get_by_label("Alle gemeenten van een provincie").select_option(label="Limburg")
    page.get_by_role("button", name="Voeg alle toe").click()
    chosen = page.get_by_test_id("participant-list").locator("li")
    assert chosen.count() >= 35
    page.get_by_role("button", name="Stel de groepen samen").click()
    plan = page.get_by_test_id("cop-plan")
    plan.wait_for(state="visible", timeout=90_000)
    assert re.search(r"Status: (optimaal|haalbaar)", page.get_by_test_id("plan-summary").inner_text())
    groups = plan.get_by_test_id("group-members")
    assert groups.count() == 3
    members = plan.locator("[data-testid=group-members] tbody tr")
    assert members.count() >= 6
    assert members.first.locator("ul.reasons li").count() >= 1
    assert plan.get_by_test_id("constraint-report").first.locator("li").count() >= 2

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    assert re.fullmatch(r"cop-indeling-\d{4}-\d{2}-\d{2}\.csv", info.value.suggested_filename)
    info.value.save_as(artifacts / "cop-plan.csv")
    text = (artifacts / "cop-plan.csv").read_text(encoding="utf-8-sig")
    first_member = members.first.locator("td").first.inner_text().strip()
    assert first_member in text
    with page.expect_download() as info:
        page.get_by_role("button", name="Download Excel (XLSX)").click()
    from openpyxl import load_workbook

    assert re.fullmatch(r"cop-indeling-\d{4}-\d{2}-\d{2}\.xlsx", info.value.suggested_filename)
    info.value.save_as(artifacts / "cop-plan.xlsx")
    workbook = load_workbook(artifacts / "cop-plan.xlsx")
    cells = {str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert first_member in cells
    page.screenshot(path=artifacts / "cop-plan.png", full_page=True)


def test_the_english_switch_works_and_is_remembered(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Leer van andere lokale besturen"
    page.get_by_test_id("lang-switch").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Learn from other local governments"
    # the cookie carries the choice to the next page, including labels drawn by JavaScript
    page.get_by_role("link", name="Find peers and practices").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Find peers and practices"
    assert page.get_by_label("Repair and reuse").count() == 1
    page.get_by_role("button", name="Show peers and practices").click()
    assert "Choose your municipality or answer at least one question" in page.locator("#form-errors").inner_text()
    page.screenshot(path=artifacts / "english-intake.png", full_page=True)
    page.get_by_test_id("lang-switch").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vind peers en praktijken"


def test_government_page_shows_profile_cases_neighbours_peers_and_map(
        page: object, live_server: object, artifacts: Path) -> None:
    recommender_calls: list[str] = []
    page.on("request", lambda r: recommender_calls.append(r.url)
            if "/api/v1/recommendations" in r.url or "/api/v1/governments/" in r.url else None)
    page.goto(live_server.url + "/bestuur/72003")
    assert page.get_by_role("heading", level=1).inner_text() == "Bocholt"
    assert "72003" in page.get_by_test_id("profile").inner_text()
    expected = len(httpx.get(live_server.url + "/api/v1/browse/governments/72003").json()["cases"])
    assert expected >= 2 and page.get_by_test_id("gov-cases").locator("tbody tr").count() == expected
    assert page.get_by_test_id("neighbours").locator("a").count() >= 2
    page.locator("#recommendations [data-testid=peers] li.reco").first.wait_for()
    assert page.locator("#recommendations [data-testid=practices] li.reco").count() >= 1
    page.locator("#gov-map[data-ready=true]").wait_for()
    page.wait_for_function(f"() => document.querySelectorAll(\"path[fill='{PEER_FILL}']\").length > 0")
    assert _fills(page, SELF_FILL) == 1
    assert len(recommender_calls) == 1, "peers and practices come from one request to the recommender"
    page.screenshot(path=artifacts / "government.png", full_page=True)


def test_data_page_draws_the_survey_charts(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/data")
    page.locator("#charts[data-ready=true]").wait_for()
    drawn = page.evaluate("['adoption','agenda','shares','scores'].map(k => !!Chart.getChart('chart-' + k))")
    assert drawn == [True, True, True, True]
    adoption = page.locator("#table-adoption tbody tr")
    assert adoption.count() == 3 and "65%" in page.locator("#table-adoption").text_content()
    for href in ("/ontologie", "/dumps/kringloop.ttl", "/dumps/kringloop.nt", "/dumps/kringloop.jsonld"):
        assert page.locator(f"a[href='{href}']").count() >= 1
    assert "Statbel" in page.locator("details.doc").first.text_content()
    page.screenshot(path=artifacts / "data-charts.png", full_page=True)


PAGES = ["/", "/?q=leuven", "/bestuur/33037", f"/praktijk/{CASE_ID}", "/vind-peers", "/cop-planner",
         "/sparql-editor", "/data", "/?lang=en"]


def test_no_request_leaves_localhost_while_the_pages_load(page: object, live_server: object, traffic: object) -> None:
    # first prove the guard sees a request to elsewhere: otherwise an empty list would prove nothing
    probe = page.context.new_page()   # a page of its own: its aborted navigation cannot cut into the others
    with contextlib.suppress(Exception):   # a navigation: the CSP (connect-src 'self') already stops a fetch
        probe.goto("https://example.org/probe")
    probe.close()
    assert traffic.outside == ["https://example.org/probe"]
    traffic.outside.clear()
    traffic.requested.clear()
    traffic.console_errors.clear()
    for path in PAGES:
        page.goto(live_server.url + path, wait_until="networkidle")
    hosts = {re.sub(r"^\w+://([^/:]+).*$", r"\1", u) for u in traffic.requested if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}
    assert any("/vendor/leaflet/leaflet.js" in u for u in traffic.requested)
    assert any("/vendor/cytoscape/" in u for u in traffic.requested)
    assert any("/vendor/chart.js/" in u for u in traffic.requested)
    assert traffic.console_errors == []


def test_every_form_field_has_a_label(page: object, live_server: object) -> None:
    for path in ("/", "/vind-peers", "/cop-planner", "/sparql-editor"):
        page.goto(live_server.url + path)
        unlabelled = page.evaluate("""[...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.id || e.name)""")
        assert unlabelled == [], path


def test_keyboard_reaches_the_skip_link_and_the_form(page: object, live_server: object) -> None:
    page.goto(live_server.url + "/vind-peers")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.get_by_label("Gemeente", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "name"


def test_pages_fit_a_phone_screen(phone_page: object, live_server: object, artifacts: Path) -> None:
    for path, shot in (("/", "phone-home.png"), ("/vind-peers", "phone-intake.png"),
                       (f"/praktijk/{CASE_ID}", "phone-case.png"), ("/bestuur/24062", "phone-government.png"),
                       ("/cop-planner", "phone-cop.png"), ("/sparql-editor", "phone-sparql.png"),
                       ("/data", "phone-data.png")):
        phone_page.goto(live_server.url + path, wait_until="networkidle")
        # clientWidth, not innerWidth: a mobile browser zooms out to show a too-wide layout
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        phone_page.screenshot(path=artifacts / shot, full_page=False)


def test_home_search_and_the_map_of_flanders(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Zoek een bestuur, praktijk of organisatie").fill("repair")
    page.keyboard.press("Enter")
    results = page.get_by_test_id("search-results")
    results.wait_for()
    assert results.locator("a[href^='/praktijk/']").count() >= 1
    page.locator("#home-map[data-ready=true]").wait_for()
    assert page.locator("path.leaflet-interactive").count() == 285
    # the darkest class exists: some municipality takes part in six or more cases
    assert _fills(page, "#2f7d4f") >= 1
    # the same figures as a table: Leuven (6+ cases, a front-runner) is among them
    table = page.get_by_test_id("map-table")
    leuven = table.locator("tbody tr").filter(has=page.locator("a[href='/bestuur/24062']"))
    assert leuven.count() == 1 and int(leuven.locator("td").nth(1).text_content()) >= 6
    page.screenshot(path=artifacts / "home-search-map.png", full_page=True)


def test_sparql_graph_results_and_bad_queries(page: object, live_server: object) -> None:
    page.goto(live_server.url + "/sparql-editor")
    editor = page.get_by_label("SPARQL-vraag")
    editor.fill("PREFIX kl: <https://w3id.org/kringloop/def#>\n"
                "CONSTRUCT { ?c a kl:Case } WHERE { ?c a kl:Case } LIMIT 3")
    editor.press("Control+Enter")
    graph = page.get_by_test_id("sparql-graph")
    graph.wait_for()
    assert "kringloop/id/case/" in graph.inner_text()
    formats = page.get_by_test_id("sparql-downloads").locator("a").evaluate_all("els => els.map(e => e.dataset.format)")
    assert formats == ["turtle", "ntriples", "jsonld", "rdfxml"]

    editor.fill("SELECT ?x WHERE { ?x ?y }")
    page.get_by_role("button", name="Voer uit").click()
    error = page.locator("#sparql-error")
    error.wait_for(state="visible")
    assert error.inner_text().startswith("De vraag kon niet uitgevoerd worden:") and len(error.inner_text()) > 40
    assert page.get_by_role("alert").filter(has_text="De vraag kon niet").count() == 1


def test_the_planner_explains_rules_that_cannot_hold_together(page: object, live_server: object) -> None:
    page.goto(live_server.url + "/cop-planner")
    page.get_by_role("button", name="Stel de groepen samen").click()
    assert "Kies minstens twee deelnemers" in page.locator("#form-errors").inner_text()
    for name in ("Leuven", "Gent"):
        page.get_by_label("Bestuur", exact=True).select_option(label=name)
        page.get_by_role("button", name="Voeg toe", exact=True).click()
    assert page.get_by_test_id("participant-list").locator("li").count() == 2
    for code in ("cop-circulair-aankopen", "cop-stadsontwikkeling"):
        page.locator(f"#group-{code}").uncheck()
    page.locator("#min-cop-monitoring").fill("1")
    page.get_by_role("button", name="Stel de groepen samen").click()
    page.get_by_test_id("cop-plan").wait_for()            # a plan that can be made is shown ...
    page.locator("#min-cop-monitoring").fill("5")
    page.get_by_label("Elke deelnemer moet in een groep").check()
    page.get_by_role("button", name="Stel de groepen samen").click()
    errors = page.locator("#form-errors")
    errors.get_by_text("Deze regels kunnen niet samen gelden").wait_for()
    assert "minstens 5" in errors.inner_text()
    assert page.get_by_test_id("cop-plan").is_hidden()     # ... and cleared when the next run cannot hold
