"""The analyst's journeys in Chromium: the SPARQL editor (highlighting, prefix completion, examples
in the page's language) and the Linked Data pages (site layout, link to the page for people, 404)."""

from __future__ import annotations

from pathlib import Path

from api.sparql import load_examples

EXAMPLES = {e.name: e for e in load_examples()}


def open_editor(page: object, url: str) -> object:
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.cm-editor .cm-content')")
    return page.locator(".cm-content")


def test_the_query_box_highlights_sparql_and_completes_prefixes(page: object, live_server: object,
                                                                 artifacts: Path) -> None:
    open_editor(page, live_server.url + "/sparql-editor")
    editor = page.get_by_label("SPARQL-vraag")  # the label names the editor, as it named the textarea
    assert editor.get_attribute("contenteditable") == "true"
    # highlighting: keywords and IRIs are styled tokens, not plain text
    page.wait_for_function("() => document.querySelectorAll('.cm-content span[class]').length >= 5")
    styled = page.evaluate("""() => [...document.querySelectorAll('.cm-content span[class]')]
        .map(s => s.textContent.trim()).filter(Boolean)""")
    assert "SELECT" in styled and "PREFIX" in styled

    editor.fill("SELECT ?thema WHERE {\n  ?thema a ")
    page.keyboard.type("sko")
    options = page.locator(".cm-tooltip-autocomplete li")
    options.first.wait_for()
    # each option names the prefix and shows its namespace
    assert any(text.startswith("skos:http://www.w3.org/2004/02/skos/core#") for text in options.all_inner_texts())
    page.locator(".cm-tooltip-autocomplete li", has_text="skos:").first.click()
    page.keyboard.type("Concept }")
    text = page.evaluate("() => document.getElementById('query').value")
    # the chosen prefix is written and its declaration added above the query
    assert text.startswith("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?thema")
    assert "?thema a skos:Concept }" in text
    page.locator(".cm-tooltip-autocomplete").wait_for(state="detached")
    page.screenshot(path=artifacts / "sparql-editor.png", full_page=True)

    page.keyboard.press("Control+Enter")
    table = page.get_by_test_id("sparql-table")
    table.wait_for()
    assert table.locator("tbody tr").count() >= 1


def test_prefix_completion_after_the_prefix_keyword(page: object, live_server: object) -> None:
    editor = open_editor(page, live_server.url + "/sparql-editor")
    editor.fill("")
    page.keyboard.type("PREFIX dct")
    page.locator(".cm-tooltip-autocomplete li", has_text="dcterms:").first.click()
    assert page.evaluate("() => document.getElementById('query').value") == "PREFIX dcterms: <http://purl.org/dc/terms/>"


def test_example_descriptions_follow_the_page_language(page: object, live_server: object) -> None:
    example = EXAMPLES["fusies-2025"]
    for path, expected in (("/sparql-editor?lang=nl", example.description),
                           ("/sparql-editor?lang=en", example.description_en)):
        editor = open_editor(page, live_server.url + path)
        page.wait_for_function("() => document.querySelectorAll('#example option').length > 1")
        page.locator("#example").select_option("fusies-2025")
        assert page.locator("#example-description").inner_text() == expected
        assert "SELECT ?oud ?oudeNaam" in editor.inner_text()
        assert page.evaluate("() => document.getElementById('query').value") == example.query
    page.goto(live_server.url + "/sparql-editor?lang=nl")  # leave the language cookie Dutch


def test_linked_data_page_has_the_site_layout_and_a_way_to_the_page_for_people(
        page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/id/gemeente/24062")
    assert page.locator("h1").inner_text() == "Leuven"
    assert page.locator("header.site-header nav a", has_text="SPARQL").count() == 1
    page.get_by_test_id("ld-human-page").get_by_role("link").wait_for()
    page.screenshot(path=artifacts / "linked-data-leuven.png")  # the top: heading, link, first triples
    page.get_by_test_id("ld-human-page").get_by_role("link").click()
    page.wait_for_url("**/bestuur/24062")
    assert page.locator("h1").inner_text().startswith("Leuven")


def test_an_unknown_linked_data_iri_is_a_page_not_a_download(page: object, live_server: object,
                                                             traffic: object) -> None:
    response = page.goto(live_server.url + "/id/gemeente/00000")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "Niet gevonden"
    assert "id/gemeente/00000" in page.get_by_role("alert").inner_text()


# --- someone to contact ---------------------------------------------------------------------------

def test_practice_page_says_how_to_reach_the_leads(page: object, live_server: object, artifacts: Path) -> None:
    from api.routes import browse

    store = live_server.app.state.services.current().store
    leads = browse.case_leads(store, base_iri=live_server.app.state.settings.base_iri)
    case_iri, lead = next((c, lead) for c, found in sorted(leads.items()) for lead in found if lead["website"])
    page.goto(f"{live_server.url}/praktijk/{case_iri.rsplit('/', 1)[-1]}?lang=nl")
    block = page.get_by_test_id("contact")
    assert block.get_by_role("heading").inner_text() == "Contact: hoe bereikt u hen"
    website = block.get_by_test_id("contact-website").first
    assert website.get_attribute("href") == lead["website"]
    assert block.locator(f'a[href="{lead["source"]}"]').count() >= 1
    block.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "practice-contact.png")

    case_iri, found = next((c, found) for c, found in sorted(leads.items()) if not any(x["website"] for x in found))
    page.goto(f"{live_server.url}/praktijk/{case_iri.rsplit('/', 1)[-1]}")
    block = page.get_by_test_id("contact")
    assert block.get_by_test_id("contact-missing").first.inner_text() == "geen contact bekend"
    assert found[0]["name"] in block.inner_text()


def test_result_cards_carry_a_contact_line(page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/bestuur/24062")
    practices = page.locator("[data-testid=practices] li.reco")
    practices.first.wait_for()
    lines = page.locator("[data-testid=practices] li.reco [data-testid=contact]")
    assert lines.count() == practices.count()
    texts = lines.all_inner_texts()
    assert all(text.startswith("Contact: ") for text in texts)
    # each line names a website or says plainly that none is known
    for index in range(lines.count()):
        line = lines.nth(index)
        assert line.get_by_test_id("contact-website").count() + line.get_by_test_id("contact-missing").count() >= 1
    peers = page.locator("[data-testid=peers] li.reco [data-testid=contact]")
    assert peers.count() == page.locator("[data-testid=peers] li.reco").count()
    page.get_by_test_id("contact").first.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "government-contact.png", full_page=True)
