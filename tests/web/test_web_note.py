"""The intake page in a real browser: answers filled in from the data are the user's to keep or
remove (issue 14 B), and one click on a result gives the note for the council (issue 14 A)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# Beernem: a small municipality whose practices in the graph cover three themes, so there is a
# filled-in theme to remove and others to keep
MUNICIPALITY = {"nis": "31003", "name": "Beernem"}
REMOVED = "hergebruik-herstel"


def _choose(page: object, live_server: object) -> None:
    page.goto(live_server.url + "/vind-peers")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/browse/governments/" + MUNICIPALITY["nis"])):
        page.get_by_label("Gemeente", exact=True).select_option(MUNICIPALITY["nis"])
    page.get_by_test_id("prefilled").wait_for(state="visible")


def _claimed_as_given(reason: dict) -> set[str]:
    """The theme codes a reason says the user gave ("een thema dat u opgaf")."""
    data = reason.get("data") or {}
    return set(data.get("themes", [])) if reason["kind"] == "shared-theme" and data.get("stated") else set()


def test_filled_in_answers_are_marked_removable_and_a_removed_one_is_never_claimed(
        page: object, live_server: object, artifacts: Path) -> None:
    _choose(page, live_server)
    chips = page.get_by_test_id("prefilled-item")
    theme_chips = page.locator("[data-testid=prefilled-item][data-field=themes]")
    graph = page.request.get(live_server.url + "/api/v1/browse/governments/" + MUNICIPALITY["nis"]).json()
    graph_themes = {code for case in graph["cases"] for code in case["themes"]}
    assert REMOVED in graph_themes and len(graph_themes) >= 2
    assert sorted(theme_chips.evaluate_all("els => els.map(e => e.dataset.value)")) == sorted(graph_themes)
    # each is ticked, marked as coming from the data, and says where it comes from
    for code in graph_themes:
        assert page.locator(f"#themes-{code}").is_checked()
        assert page.locator(f".check.is-prefilled:has(#themes-{code}) .prefill-tag").inner_text() == "uit de gegevens"
    assert "praktijk" in theme_chips.first.locator(".src").inner_text()
    fields = set(chips.evaluate_all("els => els.map(e => e.dataset.field)"))
    assert {"government_type", "province", "population"} <= fields
    assert "De maturiteit van Beernem staat niet in de gegevens" in page.get_by_test_id("prefilled").inner_text()
    assert page.locator("input[name=maturity]:checked").get_attribute("value") == ""
    page.screenshot(path=artifacts / "intake-prefilled.png", full_page=False)

    page.locator(f"[data-testid=prefilled-item][data-value={REMOVED}] button").click()
    assert not page.locator(f"#themes-{REMOVED}").is_checked()
    assert page.locator(f"[data-testid=prefilled-item][data-value={REMOVED}]").count() == 0
    kept = sorted(graph_themes - {REMOVED})

    with page.expect_response(lambda r: r.url.endswith("/api/v1/recommendations")) as answer:
        page.get_by_role("button", name="Toon peers en praktijken").click()
    sent = answer.value.request.post_data_json
    assert sorted(sent["profile"]["themes"]) == kept, "only what the user kept is sent"
    result = answer.value.json()
    reasons = [r for item in result["peers"] + result["practices"] for r in item["reasons"]]
    assert not any(REMOVED in _claimed_as_given(r) for r in reasons)
    removed_label = page.locator(f"label[for=themes-{REMOVED}]").inner_text().strip()
    page.locator("[data-testid=practices] li.reco").first.wait_for()
    shown = page.locator("#results ul.reasons li").all_inner_texts()
    assert shown and not [t for t in shown if removed_label in t and "u opgaf" in t]

    # control: had the user kept it, the same request would claim it, so the check above can fail
    control = page.request.post(live_server.url + "/api/v1/recommendations",
                                data={**sent, "profile": {**sent["profile"], "themes": [*kept, REMOVED]}}).json()
    assert any(REMOVED in _claimed_as_given(r) for item in control["peers"] + control["practices"]
               for r in item["reasons"])


def test_one_click_on_a_result_gives_the_note_for_the_council(
        page: object, live_server: object, artifacts: Path) -> None:
    _choose(page, live_server)
    page.get_by_label("Bezig met circulaire economie, maar nergens benoemd als strategische prioriteit").check()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/recommendations")) as answer:
        page.get_by_role("button", name="Toon peers en praktijken").click()
    result = answer.value.json()
    link = page.get_by_test_id("note-link")
    link.wait_for(state="visible")
    with page.context.expect_page() as opened:
        link.click()
    note = opened.value
    note.wait_for_load_state()
    note.get_by_test_id("note").wait_for()
    titles = [re.sub(r"^\d+\.\s*", "", t) for t in note.locator("[data-testid=note-practice] h3").all_inner_texts()]
    assert titles == [p["title"] for p in result["practices"][:3]]
    assert note.locator("[data-testid=note-peer] a").all_inner_texts() == [p["name"] for p in result["peers"][:5]]
    assert "Beernem" in note.locator("h1").inner_text()
    maturity = note.get_by_test_id("note-maturity").inner_text()
    assert "Early majority" in maturity and "33 %" in maturity
    assert note.locator(".practice .sources a").count() >= 3
    note.screenshot(path=artifacts / "note-page.png", full_page=True)
    # printed, the note carries no navigation
    assert note.locator(".note-toolbar").is_visible()
    note.emulate_media(media="print")
    assert not note.locator(".note-toolbar").is_visible()
    note.screenshot(path=artifacts / "note-print.png", full_page=True)
    note.emulate_media(media="screen")
    # the PDF of the same note
    with note.expect_download() as download:
        note.get_by_test_id("note-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename == "kringloop-nota-beernem.pdf"
    note.close()
    # the page's own PDF link asks for the same note
    assert page.get_by_test_id("note-pdf-link").get_attribute("href") == link.get_attribute("href") + "&format=pdf"
