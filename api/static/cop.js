/* CoP planner: participants and groups -> POST /api/v1/cops/plan; the same request exports CSV/XLSX. */
"use strict";
(() => {
  const form = document.getElementById("cop-form");
  const errors = document.getElementById("form-errors");
  const busy = form.querySelector(".busy");
  const list = document.getElementById("participant-list");
  const count = document.getElementById("participants-count");
  const select = document.getElementById("participant-select");
  const planSection = document.getElementById("plan");
  const chosen = new Map();  // id -> {id, iri, name, municipality}
  let lastBody = null;

  function renderChosen() {
    list.replaceChildren(...[...chosen.values()].map((p) => KL.el("li", {},
      KL.el("span", {}, p.name),
      KL.el("button", {type: "button", class: "chip-remove", "data-id": p.id,
                       "aria-label": KL.t("cop.remove", {name: p.name})}, "×"))));
    count.textContent = KL.t("cop.count", {n: chosen.size});
  }

  function add(option) {
    if (!option || chosen.has(option.value)) return;
    chosen.set(option.value, {id: option.value, iri: option.dataset.iri, name: option.textContent.trim(),
                              municipality: option.dataset.municipality === "true"});
  }

  document.getElementById("participant-add").addEventListener("click", () => {
    add(select.selectedOptions[0]); renderChosen();
  });
  document.getElementById("province-add").addEventListener("click", () => {
    const province = document.getElementById("province-select").value;
    for (const option of select.options) {
      if (option.dataset.municipality === "true" && option.dataset.province === province) add(option);
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
  renderChosen();

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
    const participants = [...chosen.values()].map((p) => (p.municipality ? {nis_code: p.id} : {iri: p.iri}));
    return {body: {participants, groups, constraints}, problems};
  }

  function showProblems(problems) {
    errors.replaceChildren(KL.el("h2", {}, KL.t("form.errors")), KL.el("ul", {}, problems.map((p) =>
      KL.el("li", {}, p.id && document.getElementById(p.id) ? KL.el("a", {href: "#" + p.id}, p.message) : p.message))));
    errors.hidden = false;
    errors.focus();
  }

  const names = () => new Map([...select.options].map((o) => [o.value, o.textContent.trim()]));

  function renderPlan(plan) {
    const lang = KL.lang;
    const summary = planSection.querySelector(".plan-summary");
    summary.textContent = KL.t("cop.summary", {status: KL.t("cop.status_" + plan.status) || plan.status,
                                               objective: Number(plan.objective).toFixed(2),
                                               seconds: Number(plan.solve_seconds).toFixed(2),
                                               gap: (100 * Number(plan.gap || 0)).toFixed(1)});
    const byGroup = new Map();
    for (const a of plan.assignments) {
      if (!byGroup.has(a.group)) byGroup.set(a.group, []);
      byGroup.get(a.group).push(a);
    }
    const partners = new Map((plan.partners || []).map((p) => [p.group, p.organisations || []]));
    const nameOf = names();
    const container = document.getElementById("plan-groups");
    container.replaceChildren(...plan.groups.map((g) => {
      const members = byGroup.get(g.code) || [];
      const title = (lang === "en" ? g.name_en : g.name_nl) || g.code;
      const table = KL.el("table", {"data-testid": "group-members"},
        KL.el("caption", {class: "visually-hidden"}, KL.t("cop.members_of", {group: title, n: members.length})),
        KL.el("thead", {}, KL.el("tr", {}, [KL.t("cop.member"), KL.t("cop.province"), KL.t("cop.frontrunner"), KL.t("cop.why")]
          .map((h) => KL.el("th", {scope: "col"}, h)))),
        KL.el("tbody", {}, members.map((a) => KL.el("tr", {},
          KL.el("td", {}, /^\d{5}$/.test(a.participant) ? KL.el("a", {href: "/bestuur/" + a.participant}, a.name || nameOf.get(a.participant) || a.participant)
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
      KL.el("ul", {class: "inline-list"}, unassigned.map((id) => KL.el("li", {}, nameOf.get(id) || id)))] : []));
    planSection.hidden = false;
    document.getElementById("plan-h").focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const {body, problems} = readForm();
    if (problems.length) { showProblems(problems); return; }
    errors.hidden = true;
    KL.status(busy, KL.t("cop.planning"));
    document.getElementById("cop-submit").disabled = true;
    try {
      const plan = await KL.postJSON("/api/v1/cops/plan", body);
      lastBody = body;
      renderPlan(plan);
      KL.status(busy, "");
    } catch (err) {
      KL.status(busy, "");
      // the plan on screen no longer answers the rules as they stand: hide it, and downloads stop exporting it
      lastBody = null;
      planSection.hidden = true;
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

  async function download(format) {
    const statusNode = planSection.querySelector(".download-status");
    if (!lastBody) return;
    KL.status(statusNode, KL.t("cop.preparing"));
    try {
      const response = await fetch(`/api/v1/cops/plan?format=${format}&lang=${KL.lang}`, {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(lastBody)});
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || response.status);
      const url = URL.createObjectURL(await response.blob());
      const link = KL.el("a", {href: url, download: "cop-plan." + format});
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
  document.getElementById("download-xlsx").addEventListener("click", () => download("xlsx"));
})();
