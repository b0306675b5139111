"""The network coordinator's CoP planner in a real browser: pasted lists, pairs that must (not) be together,
the front-runners spread, registrations read with a coordinator token, a conflict that clears the old plan,
and the CSV that Excel opens as columns. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

SUBMIT = "Stel de groepen samen"
ANTWERP = ["Antwerpen", "Mechelen", "Turnhout", "Lier", "Geel", "Mol", "Boom", "Kontich"]


def _paste(page: object, text: str) -> None:
    page.get_by_label("Of plak een lijst met namen of NIS-codes").fill(text)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/cops/participants/resolve")):
        page.get_by_role("button", name="Zoek op en voeg toe").click()


def _only_groups(page: object, keep: dict[str, tuple[int, int]]) -> None:
    for box in page.locator("input[name=groups]").all():
        code = box.get_attribute("value")
        box.set_checked(code in keep)
        if code in keep:
            page.locator(f"#min-{code}").fill(str(keep[code][0]))
            page.locator(f"#max-{code}").fill(str(keep[code][1]))


def _chips(page: object) -> list[str]:
    return [t.strip() for t in page.get_by_test_id("participant-list").locator("li > span").all_inner_texts()]


def test_a_pasted_list_with_pairs_and_spread_front_runners_is_planned_and_downloaded(
        page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/cop-planner")
    _paste(page, "Antwerpen\nStad Gent\n24062 Leuven\nMechelen\nBorgloon\nBrugg\nSint\nTurnhout\nHasselt\nGenk\n"
                 "Lier\nGeel\n")
    assert _chips(page) == ["Antwerpen", "Gent", "Leuven", "Mechelen", "Tongeren-Borgloon", "Turnhout", "Hasselt",
                            "Genk", "Lier", "Geel"]
    assert page.get_by_test_id("paste-notes").inner_text() == (
        "Borgloon is sinds 1 januari 2025 deel van Tongeren-Borgloon; Tongeren-Borgloon is toegevoegd")
    problems = page.get_by_test_id("paste-problems")
    assert "'Brugg' is geen bestuur dat we kennen; bedoelt u Brugge?" in problems.inner_text()
    assert re.search(r"'Sint' kan \d+ besturen zijn: .*Sint-Niklaas", problems.inner_text())
    assert page.get_by_label("Of plak een lijst").input_value() == "Brugg\nSint"   # left to correct
    problems.get_by_role("button", name="Voeg Brugge toe").click()
    assert _chips(page)[-1] == "Brugge" and page.locator("#participants-count").inner_text() == "11 deelnemers gekozen."
    assert "Brugge toegevoegd." in problems.inner_text()
    assert page.get_by_label("Of plak een lijst").input_value() == "Sint"
    page.screenshot(path=artifacts / "cop-paste.png", full_page=True)

    for a, kind, b in (("Antwerpen", "moet samen met", "Mechelen"), ("Gent", "mag niet samen met", "Leuven")):
        page.get_by_label("Deelnemer", exact=True).select_option(label=a)
        page.get_by_label("Regel", exact=True).select_option(label=kind)
        page.get_by_label("Andere deelnemer").select_option(label=b)
        page.get_by_role("button", name="Voeg regel toe").click()
    assert page.get_by_test_id("link-list").locator("li > span").all_inner_texts() == [
        "Antwerpen moet samen met Mechelen", "Gent mag niet samen met Leuven"]
    _only_groups(page, {"cop-monitoring": (3, 8), "cop-circulair-aankopen": (3, 8)})
    page.get_by_label("Elke deelnemer moet in een groep").check()
    page.get_by_label("Spreid de koplopers gelijkmatig over de groepen").check()
    page.get_by_label("Maximum late meerderheid per groep").fill("3")
    with page.expect_request(lambda r: r.url.endswith("/api/v1/cops/plan") and r.method == "POST") as sent:
        page.get_by_role("button", name=SUBMIT).click()
    body = sent.value.post_data_json
    constraints = body["constraints"]
    assert constraints["must_link"] == [["11002", "12025"]] and constraints["cannot_link"] == [["44021", "24062"]]
    spread = constraints["maturity_mix"]["koplopers"]
    assert constraints["maturity_mix"]["late-majority"] == {"max": 3}
    assert spread["min"] >= 1 and spread["max"] - spread["min"] <= 1
    assert {"nis_code": "73111"} in body["participants"] and len(body["participants"]) == 11

    plan = page.get_by_test_id("cop-plan")
    plan.wait_for(state="visible", timeout=90_000)
    answer = page.evaluate("""async (body) => (await fetch('/api/v1/cops/plan', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})).json()""", body)
    group_of = {a["participant"]: a["group"] for a in answer["assignments"]}
    assert group_of["11002"] == group_of["12025"] and group_of["44021"] != group_of["24062"]
    for g in answer["groups"]:
        front = sum(a["adoption_group"] == "koplopers" for a in answer["assignments"] if a["group"] == g["code"])
        assert spread["min"] <= front <= spread["max"]
    assert "Koplopers gespreid:" in page.get_by_test_id("spread-note").inner_text()
    reasons = " ".join(plan.locator("ul.reasons li").all_inner_texts())
    assert "capaciteit" not in reasons and "sterkte" not in reasons and "(s)" not in reasons

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV", exact=True).click()
    assert re.fullmatch(r"cop-indeling-\d{4}-\d{2}-\d{2}\.csv", info.value.suggested_filename)
    info.value.save_as(artifacts / "cop-indeling.csv")
    raw = (artifacts / "cop-indeling.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfGroepcode;Groep;NIS-code of id;Bestuur;")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert {r["Bestuur"] for r in rows} == {"Antwerpen", "Gent", "Leuven", "Mechelen", "Tongeren-Borgloon",
                                             "Turnhout", "Hasselt", "Genk", "Lier", "Geel", "Brugge"}
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV met komma's").click()
    assert info.value.path().read_bytes().startswith(b"\xef\xbb\xbfGroepcode,Groep,")
    page.screenshot(path=artifacts / "cop-plan-links.png", full_page=True)


def test_a_conflict_is_named_and_the_previous_plan_and_its_downloads_are_gone(
        page: object, live_server: object, artifacts: Path) -> None:
    page.goto(live_server.url + "/cop-planner")
    _paste(page, "\n".join(ANTWERP))
    assert len(_chips(page)) == len(ANTWERP)
    _only_groups(page, {"cop-monitoring": (2, 10)})
    page.get_by_label("Elke deelnemer moet in een groep").check()
    page.get_by_role("button", name=SUBMIT).click()
    plan = page.get_by_test_id("cop-plan")
    plan.wait_for(state="visible", timeout=90_000)
    assert plan.locator("[data-testid=group-members] tbody tr").count() == len(ANTWERP)

    errors = page.locator("#form-errors")
    for cap, words in ((2, ("Antwerpen heeft 8 deelnemers; met hoogstens 2 deelnemers per provincie per groep over "
                            "1 groep kunnen er maar 2 een plaats krijgen")),
                       (1, ("Antwerpen heeft 8 deelnemers; met hoogstens 1 deelnemer per provincie per groep over "
                            "1 groep kan er maar 1 een plaats krijgen"))):
        page.get_by_label("Deelnemers per provincie per groep (maximum)").fill(str(cap))
        with page.expect_response(lambda r: r.url.endswith("/api/v1/cops/plan")) as answer:
            page.get_by_role("button", name=SUBMIT).click()
        assert answer.value.status == 422
        errors.get_by_text("Deze regels kunnen niet samen gelden").wait_for()
        assert words in errors.inner_text()
        # the old plan is gone from the screen, and nothing can export it
        assert plan.is_hidden()
        assert page.locator("#plan-groups").inner_html() == ""
        assert page.get_by_test_id("plan-summary").inner_text() == ""
        for name in ("download-csv", "download-xlsx", "download-csv-comma"):
            assert page.locator(f"#{name}").is_disabled()
    page.screenshot(path=artifacts / "cop-conflict.png", full_page=True)

    page.get_by_label("Deelnemers per provincie per groep (maximum)").fill("")
    page.get_by_role("button", name=SUBMIT).click()
    plan.wait_for(state="visible", timeout=90_000)
    assert errors.is_hidden() and page.locator("#download-csv").is_enabled()


def test_registrations_are_added_with_a_coordinator_token(page: object, live_server: object,
                                                          artifacts: Path) -> None:
    from state.tokens import create_token

    token = create_token(live_server.app.state.settings.state_dir, "planner-browser-test")
    for body in ({"nis_code": "38002", "groups": ["traject-strategie"], "profile": {"maturity": "verkennend"}},
                 {"profile": {"name": "Testgemeente zonder NIS"}, "groups": ["traject-strategie"]}):
        assert httpx.post(live_server.url + "/api/v1/registrations", json=body).status_code == 201
    page.goto(live_server.url + "/cop-planner")
    assert not page.locator("#group-traject-strategie").is_checked()
    page.get_by_text("Uit de inschrijvingen (voor coördinatoren)").click()
    page.get_by_label("Coördinatortoken").fill("not-a-token")
    page.get_by_role("button", name="Haal de inschrijvingen op").click()
    status = page.locator(".registrations-status")
    page.wait_for_function("() => document.querySelector('.registrations-status').textContent.includes('mislukt') "
                           "|| document.querySelector('.registrations-status').textContent.includes('niet')")
    assert status.inner_text().startswith("De inschrijvingen konden niet opgehaald worden:")
    assert _chips(page) == []

    page.get_by_label("Coördinatortoken").fill(token)
    page.get_by_role("button", name="Haal de inschrijvingen op").click()
    page.wait_for_function("() => document.querySelector('.registrations-status').textContent.startsWith("
                           "'Inschrijvingen toegevoegd')")
    assert {"Alveringem", "Testgemeente zonder NIS"} <= set(_chips(page))
    assert page.locator("#group-traject-strategie").is_checked()
    with page.expect_request(lambda r: r.url.endswith("/api/v1/cops/plan") and r.method == "POST") as sent:
        page.get_by_role("button", name=SUBMIT).click()
    participants = sent.value.post_data_json["participants"]
    alveringem = next(p for p in participants if p.get("nis_code") == "38002")
    assert alveringem["profile"]["groups"] == ["traject-strategie"]
    assert any(p.get("profile", {}).get("name") == "Testgemeente zonder NIS" for p in participants)
    page.screenshot(path=artifacts / "cop-registrations.png", full_page=True)
