/* CoP planner: participants, groups and rules -> POST /api/v1/cops/plan; the same request exports CSV/XLSX. */
"use strict";
(() => {
  const form = document.getElementById("cop-form");
  const errors = document.getElementById("form-errors");
  const busy = form.querySelector(".busy");
  const list = document.getElementById("participant-list");
  const count = document.getElementById("participants-count");
  const select = document.getElementById("participant-select");
  const planSection = document.getElementById("plan");
  const linkA = document.getElementById("link-a");
  const linkB = document.getElementById("link-b");
  const linkList = document.getElementById("link-list");
  const ADOPTION_LABELS = {"koplopers": KL.t("cop.adoption_koplopers"), "early-majority": KL.t("cop.adoption_early-majority"),
                           "late-majority": KL.t("cop.adoption_late-majority")};
  const ADOPTION = Object.keys(ADOPTION_LABELS);
  // the maturity codes of concepts.yaml and their adoption group (registrations state a maturity)
  const MATURITY_GROUP = {"strategisch-extern": "koplopers", "strategisch-intern": "koplopers", "actief": "early-majority",
                          "verkennend": "late-majority", "niet-op-agenda": "late-majority"};
  // participant id (NIS code, IRI, or registratie-…) -> {id, name, entry (as sent), adoption (if known)}
  const chosen = new Map();
  const links = [];  // {kind: "must_link" | "cannot_link", a, b}
  let lastBody = null;

  const nameOf = (id) => (chosen.get(id) || {}).name || id;

  function renderLinks() {
    for (let i = links.length - 1; i >= 0; i--) {
      if (!chosen.has(links[i].a) || !chosen.has(links[i].b)) links.splice(i, 1);
    }
    linkList.replaceChildren(...links.map((l, i) => {
      const text = KL.t(l.kind === "must_link" ? "cop.link_text_must" : "cop.link_text_cannot",
                        {a: nameOf(l.a), b: nameOf(l.b)});
      return KL.el("li", {"data-kind": l.kind}, KL.el("span", {}, text),
        KL.el("button", {type: "button", class: "chip-remove", "data-index": String(i),
                         "aria-label": KL.t("cop.link_remove", {text})}, "×"));
    }));
    const options = () => [...chosen.values()].sort((x, y) => x.name.localeCompare(y.name, "nl"))
      .map((p) => KL.el("option", {value: p.id}, p.name));
    for (const node of [linkA, linkB]) {
      const keep = node.value;
      node.replaceChildren(...options());
      if (chosen.has(keep)) node.value = keep;
    }
    // a pair needs two participants: offer a different one on the right
    if (linkB.value === linkA.value && linkB.options.length > 1) linkB.selectedIndex = linkA.selectedIndex === 0 ? 1 : 0;
  }

  function renderChosen() {
    list.replaceChildren(...[...chosen.values()].map((p) => KL.el("li", {"data-id": p.id},
      KL.el("span", {}, p.name),
      KL.el("button", {type: "button", class: "chip-remove", "data-id": p.id,
                       "aria-label": KL.t("cop.remove", {name: p.name})}, "×"))));
    count.textContent = chosen.size === 1 ? KL.t("cop.count_one") : KL.t("cop.count", {n: chosen.size});
    renderLinks();
  }

  function addParticipant(p) {
    const old = chosen.get(p.id);
    // a registration knows more (the groups it signed up for) than a name picked from the list
    if (!old || (p.entry.profile && !old.entry.profile)) chosen.set(p.id, p);
  }

  function addOption(option) {
    if (!option) return;
    const municipality = option.dataset.municipality === "true";
    const id = municipality ? option.value : option.dataset.iri;
    addParticipant({id, name: option.textContent.trim(), entry: municipality ? {nis_code: id} : {iri: id}});
  }

  function fromDescription(d) {
    return {id: d.id, name: d.name, adoption: d.adoption_group,
            entry: d.municipality ? {nis_code: d.nis_code} : {iri: d.iri}};
  }

  document.getElementById("participant-add").addEventListener("click", () => {
    addOption(select.selectedOptions[0]); renderChosen();
  });
  document.getElementById("province-add").addEventListener("click", () => {
    const province = document.getElementById("province-select").value;
    for (const option of select.options) {
      if (option.dataset.municipality === "true" && option.dataset.province === province) addOption(option);
    }
    renderChosen();
  });
  document.getElementById("participants-clear").addEventListener("click", () => { chosen.clear(); renderChosen(); });
  list.addEventListener("click", (event) => {
    const button = event.target.closest(".chip-remove");
    if (!button) return;
    chosen.delete(button.dataset.id);
    renderChosen();
    (list.querySelector(".chip-remove") || select).focus();
  });

  // --- a pasted list of names or NIS codes ---------------------------------------------------------------
  const pasteReport = document.getElementById("paste-report");
  const pasteStatus = form.querySelector(".paste-status");
  const candidateButton = (c) => KL.el("button", {type: "button", class: "secondary candidate", "data-id": c.id,
                                                  "data-description": JSON.stringify(c)},
                                       KL.t("cop.add_candidate", {name: c.name}));

  document.getElementById("paste-add").addEventListener("click", async () => {
    const text = document.getElementById("paste-names").value;
    if (!text.trim()) { KL.status(pasteStatus, KL.t("cop.paste_none"), "error"); return; }
    KL.status(pasteStatus, KL.t("cop.paste_busy"));
    let answer;
    try {
      answer = await KL.postJSON("/api/v1/cops/participants/resolve", {text});
    } catch (err) {
      KL.status(pasteStatus, err.message, "error");
      return;
    }
    const problems = [], notes = [];
    let added = 0;
    for (const e of answer.entries) {
      if (e.participant) {
        addParticipant(fromDescription(e.participant));
        added += 1;
        if (e.status === "successor") notes.push(e);
      } else {
        problems.push(e);
      }
    }
    renderChosen();
    const message = (e) => (KL.lang === "en" ? e.message_en : e.message_nl);
    pasteReport.replaceChildren(
      ...(notes.length ? [KL.el("p", {}, KL.t("cop.paste_notes")),
                          KL.el("ul", {"data-testid": "paste-notes"}, notes.map((e) => KL.el("li", {}, message(e))))] : []),
      ...(problems.length ? [KL.el("p", {}, KL.t("cop.paste_problems")),
                             KL.el("ul", {"data-testid": "paste-problems"}, problems.map((e) => KL.el("li", {"data-query": e.query},
                               KL.el("span", {}, message(e)), " ", (e.candidates || []).map(candidateButton))))] : []));
    pasteReport.hidden = !(notes.length || problems.length);
    KL.status(pasteStatus, KL.t("cop.paste_added", {n: added}));
    // what could not be added stays in the box, to correct
    document.getElementById("paste-names").value = problems.map((e) => e.query).join("\n");
  });
  pasteReport.addEventListener("click", (event) => {
    const button = event.target.closest(".candidate");
    if (!button) return;
    addParticipant(fromDescription(JSON.parse(button.dataset.description)));
    renderChosen();
    const item = button.closest("li");
    // the entry is settled: out of the box of entries left to correct
    const box = document.getElementById("paste-names");
    box.value = box.value.split("\n").filter((line) => line !== item.dataset.query).join("\n");
    item.replaceChildren(KL.el("span", {}, KL.t("cop.candidate_added", {name: nameOf(button.dataset.id)})));
  });

  // --- registrations (coordinators only) -------------------------------------------------------------------
  const regStatus = form.querySelector(".registrations-status");
  document.getElementById("registrations-load").addEventListener("click", async () => {
    const token = document.getElementById("coordinator-token").value.trim();
    if (!token) { KL.status(regStatus, KL.t("cop.err_token"), "error"); return; }
    KL.status(regStatus, KL.t("cop.registrations_busy"));
    let answer;
    try {
      answer = await KL.fetchJSON("/api/v1/registrations/plan-input",
                                  {headers: {"Authorization": "Bearer " + token, "Accept": "application/json"}});
    } catch (err) {
      KL.status(regStatus, KL.t("cop.registrations_failed") + " " + err.message, "error");
      return;
    }
    const byNis = new Map([...select.options].filter((o) => o.dataset.municipality === "true")
      .map((o) => [o.value, o.textContent.trim()]));
    for (const entry of answer.request.participants) {
      const id = entry.nis_code || entry.iri || entry.id;
      const profile = entry.profile || {};
      addParticipant({id, name: profile.name || byNis.get(entry.nis_code) || id, entry,
                      adoption: MATURITY_GROUP[profile.maturity]});
    }
    for (const g of answer.request.groups) {
      const box = document.getElementById("group-" + g.code);
      if (box) box.checked = true;
    }
    renderChosen();
    const n = answer.request.participants.length;
    KL.status(regStatus, KL.t("cop.registrations_loaded", {n}) +
              (answer.skipped ? " " + KL.t("cop.registrations_skipped", {n: answer.skipped}) : ""));
  });

  // --- must-link / cannot-link -------------------------------------------------------------------------------
  document.getElementById("link-add").addEventListener("click", () => {
    const a = linkA.value, b = linkB.value, kind = document.getElementById("link-kind").value;
    if (!a || !b || a === b) { showProblems([{id: "link-a", message: KL.t("cop.err_link_same")}]); return; }
    if (!links.some((l) => l.kind === kind && ((l.a === a && l.b === b) || (l.a === b && l.b === a)))) {
      links.push({kind, a, b});
    }
    renderLinks();
  });
  linkList.addEventListener("click", (event) => {
    const button = event.target.closest(".chip-remove");
    if (!button) return;
    links.splice(Number(button.dataset.index), 1);
    renderLinks();
    (linkList.querySelector(".chip-remove") || linkA).focus();
  });
  renderChosen();

  // --- the request -------------------------------------------------------------------------------------------
  const intValue = (id) => {
    const raw = document.getElementById(id).value.trim();
    return raw === "" ? null : (/^\d+$/.test(raw) ? Number(raw) : NaN);
  };

  function readForm() {
    const problems = [];
    if (chosen.size < 2) problems.push({id: "participant-select", message: KL.t("cop.err_participants")});
    const groups = [];
    for (const box of form.querySelectorAll("input[name=groups]:checked")) {
      const code = box.value;
      const min = intValue("min-" + code), max = intValue("max-" + code);
      if (Number.isNaN(min) || Number.isNaN(max) || min === null || max === null || max < 1 || min > max) {
        problems.push({id: "min-" + code, message: KL.t("cop.err_sizes", {group: box.labels[0].textContent})});
        continue;
      }
      groups.push({code, min_size: min, max_size: max});
    }
    if (!groups.length) problems.push({id: "fs-groups", message: KL.t("cop.err_groups")});
    const constraints = {assign_all: document.getElementById("assign_all").checked};
    for (const [id, key] of [["max_groups", "max_groups_per_participant"], ["min_frontrunners", "min_frontrunners_per_group"],
                             ["max_per_province", "max_per_province"]]) {
      const v = intValue(id);
      if (Number.isNaN(v)) problems.push({id, message: KL.t("cop.err_number")});
      else if (v !== null) constraints[key] = v;
    }
    const mix = {};
    for (const kind of ADOPTION) {
      const min = intValue("mix-min-" + kind), max = intValue("mix-max-" + kind);
      const label = ADOPTION_LABELS[kind];
      if (Number.isNaN(min) || Number.isNaN(max)) problems.push({id: "mix-min-" + kind, message: KL.t("cop.err_number")});
      else if (min !== null && max !== null && min > max) problems.push({id: "mix-min-" + kind, message: KL.t("cop.err_mix", {kind: label})});
      else if (min !== null || max !== null) mix[kind] = {...(min !== null ? {min} : {}), ...(max !== null ? {max} : {})};
    }
    if (Object.keys(mix).length) constraints.maturity_mix = mix;
    for (const kind of ["must_link", "cannot_link"]) {
      const pairs = links.filter((l) => l.kind === kind).map((l) => [l.a, l.b]);
      if (pairs.length) constraints[kind] = pairs;
    }
    const codes = new Set(groups.map((g) => g.code));
    const participants = [...chosen.values()].map((p) => {
      if (!p.entry.profile || !p.entry.profile.groups) return p.entry;
      // a registrant goes only to groups it signed up for that are planned now
      return {...p.entry, profile: {...p.entry.profile, groups: p.entry.profile.groups.filter((c) => codes.has(c))}};
    });
    return {body: {participants, groups, constraints}, problems};
  }

  /** The adoption group of every participant: known ones from the page, the others asked of the server. */
  async function adoptionGroups() {
    const missing = [...chosen.values()].filter((p) => !p.adoption && (p.entry.nis_code || p.entry.iri));
    if (missing.length) {
      const answer = await KL.postJSON("/api/v1/cops/participants/resolve",
                                       {text: missing.map((p) => p.entry.nis_code || p.entry.iri).join("\n")});
      for (const e of answer.entries) {
        const p = chosen.get(e.query);
        if (p && e.participant) p.adoption = e.participant.adoption_group;
      }
    }
    // a government outside the graph with no stated maturity is planned as late majority (the planner's prior)
    return [...chosen.values()].map((p) => p.adoption || "late-majority");
  }

  /** Spread front-runners evenly: each group gets between floor and ceil of its share of them. */
  async function spreadFrontrunners(body) {
    const note = planSection.querySelector(".spread-note");
    note.hidden = true;
    if (!document.getElementById("spread-frontrunners").checked) return null;
    const f = (await adoptionGroups()).filter((a) => a === "koplopers").length;
    const g = body.groups.length, k = body.constraints.max_groups_per_participant || 1;
    const lo = Math.floor(f / g), hi = Math.ceil((f * k) / g);
    const mix = body.constraints.maturity_mix || {};
    const own = mix.koplopers || {};
    mix.koplopers = {min: Math.max(lo, own.min || 0), max: own.max === undefined ? hi : Math.min(hi, own.max)};
    body.constraints.maturity_mix = mix;
    return KL.t("cop.spread_done", {f, g, lo: mix.koplopers.min, hi: mix.koplopers.max});
  }

  function showProblems(problems) {
    errors.replaceChildren(KL.el("h2", {}, KL.t("form.errors")), KL.el("ul", {}, problems.map((p) =>
      KL.el("li", {}, p.id && document.getElementById(p.id) ? KL.el("a", {href: "#" + p.id}, p.message) : p.message))));
    errors.hidden = false;
    errors.focus();
  }

  /** No plan on screen and nothing to download: after a failed run the old plan no longer answers the rules. */
  function clearPlan() {
    lastBody = null;
    planSection.hidden = true;
    planSection.querySelector(".plan-summary").textContent = "";
    planSection.querySelector(".download-status").textContent = "";
    document.getElementById("plan-groups").replaceChildren();
    document.getElementById("plan-unassigned").replaceChildren();
    for (const button of planSection.querySelectorAll("button[id^=download-]")) button.disabled = true;
  }

  function renderPlan(plan, spreadNote) {
    const lang = KL.lang;
    const summary = planSection.querySelector(".plan-summary");
    summary.textContent = KL.t("cop.summary", {status: KL.t("cop.status_" + plan.status) || plan.status,
                                               objective: Number(plan.objective).toFixed(2),
                                               seconds: Number(plan.solve_seconds).toFixed(2),
                                               gap: (100 * Number(plan.gap || 0)).toFixed(1)});
    const note = planSection.querySelector(".spread-note");
    note.textContent = spreadNote || "";
    note.hidden = !spreadNote;
    const byGroup = new Map();
    for (const a of plan.assignments) {
      if (!byGroup.has(a.group)) byGroup.set(a.group, []);
      byGroup.get(a.group).push(a);
    }
    const partners = new Map((plan.partners || []).map((p) => [p.group, p.organisations || []]));
    const container = document.getElementById("plan-groups");
    container.replaceChildren(...plan.groups.map((g) => {
      const members = byGroup.get(g.code) || [];
      const title = (lang === "en" ? g.name_en : g.name_nl) || g.code;
      const table = KL.el("table", {"data-testid": "group-members"},
        KL.el("caption", {class: "visually-hidden"}, KL.t("cop.members_of", {group: title, n: members.length})),
        KL.el("thead", {}, KL.el("tr", {}, [KL.t("cop.member"), KL.t("cop.province"), KL.t("cop.frontrunner"), KL.t("cop.why")]
          .map((h) => KL.el("th", {scope: "col"}, h)))),
        KL.el("tbody", {}, members.map((a) => KL.el("tr", {},
          KL.el("td", {}, /^\d{5}$/.test(a.participant) ? KL.el("a", {href: "/bestuur/" + a.participant}, a.name || nameOf(a.participant))
                                                        : (a.name || a.participant)),
          KL.el("td", {}, a.province || "–"),
          KL.el("td", {}, a.frontrunner ? KL.t("cop.yes") : "–"),
          KL.el("td", {}, KL.el("ul", {class: "reasons"}, (a.reasons || []).map((r) => KL.el("li", {}, KL.reasonText(r)))))))));
      const report = KL.el("ul", {class: "report", "data-testid": "constraint-report"}, (g.report || []).map((r) =>
        KL.el("li", {class: r.tight ? "tight" : ""}, (r.text_nl || r.text_en) ? KL.reasonText(r) : r.constraint,
              r.tight ? KL.el("span", {class: "badge"}, KL.t("cop.tight")) : null)));
      const orgs = partners.get(g.code) || [];
      return KL.el("section", {class: "plan-group", "aria-label": title},
        KL.el("h3", {}, KL.t("cop.members_of", {group: title, n: members.length})),
        KL.el("div", {class: "table-scroll"}, table),
        KL.el("h4", {}, KL.t("cop.report")), report,
        orgs.length ? KL.el("h4", {}, KL.t("cop.partners")) : null,
        orgs.length ? KL.el("ul", {class: "inline-list"}, orgs.slice(0, 8).map((o) => KL.el("li", {}, o.name))) : null);
    }));
    const unassigned = plan.unassigned || [];
    document.getElementById("plan-unassigned").replaceChildren(...(unassigned.length ? [
      KL.el("h3", {}, KL.t("cop.unassigned")),
      KL.el("ul", {"data-testid": "unassigned"}, unassigned.map((u) => KL.el("li", {},
        KL.el("strong", {}, u.name || nameOf(u.participant)),
        (u.reasons || []).length ? KL.el("ul", {class: "reasons", "aria-label": KL.t("cop.why_not")},
                                         u.reasons.map((r) => KL.el("li", {}, KL.reasonText(r)))) : null)))] : []));
    for (const button of planSection.querySelectorAll("button[id^=download-]")) button.disabled = false;
    planSection.hidden = false;
    document.getElementById("plan-h").focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const {body, problems} = readForm();
    if (problems.length) { clearPlan(); showProblems(problems); return; }
    errors.hidden = true;
    KL.status(busy, KL.t("cop.planning"));
    document.getElementById("cop-submit").disabled = true;
    try {
      const spreadNote = await spreadFrontrunners(body);
      const plan = await KL.postJSON("/api/v1/cops/plan", body);
      lastBody = body;
      renderPlan(plan, spreadNote);
      KL.status(busy, "");
    } catch (err) {
      KL.status(busy, "");
      clearPlan();
      const answer = err.body || {};
      const conflicts = (KL.lang === "en" ? answer.conflicts : answer.conflicts_nl) || answer.conflicts;
      if (conflicts && conflicts.length) {
        showProblems([{message: KL.t("cop.infeasible")}, ...conflicts.map((c) => ({message: c}))]);
      } else {
        showProblems([{message: err.message}]);
      }
    } finally {
      document.getElementById("cop-submit").disabled = false;
    }
  });

  /** The file name the server chose (what and when), from Content-Disposition. */
  function fileName(response, fallback) {
    const match = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
    return match ? match[1] : fallback;
  }

  async function download(format, sep) {
    const statusNode = planSection.querySelector(".download-status");
    if (!lastBody) return;
    KL.status(statusNode, KL.t("cop.preparing"));
    try {
      const response = await fetch(`/api/v1/cops/plan?format=${format}&lang=${KL.lang}${sep ? "&sep=" + sep : ""}`, {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(lastBody)});
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || response.status);
      const url = URL.createObjectURL(await response.blob());
      const link = KL.el("a", {href: url, download: fileName(response, "cop-plan." + format)});
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      KL.status(statusNode, KL.t("cop.downloaded", {format: format.toUpperCase()}));
    } catch (err) {
      KL.status(statusNode, KL.t("cop.download_failed") + " " + err.message, "error");
    }
  }
  document.getElementById("download-csv").addEventListener("click", () => download("csv"));
  document.getElementById("download-csv-comma").addEventListener("click", () => download("csv", "comma"));
  document.getElementById("download-xlsx").addEventListener("click", () => download("xlsx"));
})();
