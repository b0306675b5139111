/* "Vind peers en praktijken": the survey's questions -> one POST /api/v1/recommendations. */
"use strict";
(() => {
  const form = document.getElementById("intake-form");
  const errors = document.getElementById("form-errors");
  const busy = form.querySelector(".busy");
  const results = document.getElementById("results");
  const submit = document.getElementById("intake-submit");
  let drawn = null;
  let own = "";
  const peers = new Set();
  const peerAreas = new Set();  // municipalities covered by a peer that is not a municipality (its members, its province)
  const classify = (p) => (p.nis_code === own ? "self" : peers.has(p.nis_code) ? "peer"
    : peerAreas.has(p.nis_code) ? "peer-area" : KL.caseClass(0));

  let lastBody = null;  // the answers behind the results shown, reused by the registration
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value).filter(Boolean);

  /** The request body, or a list of {field, message} problems with the input. */
  function readForm() {
    const problems = [];
    const profile = {};
    const nis = form.nis_code.value;
    const name = form.name.value.trim();
    if (name) profile.name = name;
    if (form.government_type.value) profile.government_type = form.government_type.value;
    if (form.province.value) profile.province = form.province.value;
    const pop = form.population.value.trim();
    if (pop !== "" || form.population.validity.badInput) {
      const n = Number(pop);
      if (!/^\d+$/.test(pop) || !Number.isFinite(n) || n > 2000000) {
        problems.push({field: "population", message: KL.t("intake.err_population")});
      } else {
        profile.population = n;
      }
    }
    const maturity = checked("maturity")[0];
    if (maturity) profile.maturity = maturity;
    for (const key of ["themes", "instruments", "barriers", "drivers"]) {
      const codes = checked(key);
      if (codes.length) profile[key] = codes;
    }
    const description = form.description.value.trim();
    if (description) profile.description = description;
    if (!problems.length && !nis && !Object.keys(profile).length) problems.push({field: "nis_code", message: KL.t("intake.err_empty")});
    const body = {limit: 10};
    if (nis) body.nis_code = nis;
    if (Object.keys(profile).length) body.profile = profile;
    return {body, problems};
  }

  function fieldId(field) {
    const name = String(field || "").split(".").pop();
    if (["themes", "instruments", "barriers", "drivers", "maturity"].includes(name)) return "fs-" + name;
    return form.elements[name] ? name : null;
  }

  function showProblems(problems) {
    form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    errors.replaceChildren(KL.el("h2", {}, KL.t("form.errors")),
      KL.el("ul", {}, problems.map((p) => {
        const id = fieldId(p.field);
        const target = id && document.getElementById(id);
        if (target) target.setAttribute("aria-invalid", "true");
        return KL.el("li", {}, target ? KL.el("a", {href: "#" + id}, p.message) : p.message);
      })));
    errors.hidden = false;
    errors.focus();
  }

  // choosing a municipality shows what the graph knows, so the user only answers what is missing;
  // a field the user already touched (or is typing in) is never overwritten
  const touched = new Set();
  form.addEventListener("input", (event) => touched.add(event.target.name));
  const untouched = (field) => !touched.has(field.name) && document.activeElement !== field && !field.value;
  form.nis_code.addEventListener("change", async () => {
    const nis = form.nis_code.value;
    if (!nis) return;
    try {
      const gov = await KL.fetchJSON("/api/v1/browse/governments/" + encodeURIComponent(nis));
      if (untouched(form.population) && gov.population) form.population.value = gov.population;
      if (untouched(form.government_type) && gov.type) form.government_type.value = gov.type;
      if (untouched(form.province) && gov.province) {
        const opt = [...form.province.options].find((o) => gov.province.name.endsWith(o.value) && o.value);
        if (opt) form.province.value = opt.value;
      }
    } catch (err) { /* the form still works without the hints */ }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const {body, problems} = readForm();
    if (problems.length) { showProblems(problems); return; }
    errors.hidden = true;
    form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    submit.disabled = true;
    KL.status(busy, KL.t("reco.loading"));
    try {
      const result = await KL.postJSON("/api/v1/recommendations", body);
      lastBody = body;
      own = body.nis_code || "";
      peers.clear();
      peerAreas.clear();
      for (const p of result.peers) {
        if (p.nis_code) peers.add(p.nis_code);
        // a province's area would cover a fifth of the map: show the areas of intercommunales only
        if (p.type === "intergemeentelijk") for (const code of p.area_nis_codes || []) peerAreas.add(code);
      }
      KL.renderRecommendations(results.querySelector("[data-testid=peers]"), result.peers, "peer");
      KL.renderRecommendations(results.querySelector("[data-testid=practices]"), result.practices, "practice");
      results.hidden = false;
      KL.status(busy, KL.t("reco.done", {peers: result.peers.length, practices: result.practices.length}));
      const focus = [...peers, ...(own ? [own] : [])];
      if (!drawn) {
        drawn = await KL.drawMap(document.getElementById("intake-map"), {classify, frontrunners: true, focus});
      } else {
        drawn.restyle(classify, focus);
      }
      document.getElementById("results-h").focus();
    } catch (err) {
      KL.status(busy, "");
      const list = (err.body && err.body.errors && err.body.errors.length) ? err.body.errors.map((e) => ({
        field: e.field, message: (e.field && !e.message.startsWith(e.field) ? e.field + ": " : "") + e.message})) : [{field: null, message: err.message}];
      showProblems(list);
    } finally {
      submit.disabled = false;
    }
  });
  // registering sends the same answers plus the groups: coordinators see it, the public pages never do
  const regStatus = document.querySelector("[data-testid=reg-status]");
  document.getElementById("register-submit").addEventListener("click", async () => {
    if (!lastBody) return;
    const body = {profile: lastBody.profile || {}, groups: [...document.querySelectorAll("input[name=reg-groups]:checked")].map((i) => i.value)};
    if (lastBody.nis_code) body.nis_code = lastBody.nis_code;
    if (!body.nis_code && !body.profile.name) {
      KL.status(regStatus, KL.t("reg.err_name"), "error");
      form.name.focus();
      return;
    }
    if (!body.groups.length) { KL.status(regStatus, KL.t("reg.err_groups"), "error"); return; }
    KL.status(regStatus, KL.t("reg.sending"));
    try {
      const created = await KL.postJSON("/api/v1/registrations", body);
      KL.status(regStatus, KL.t("reg.done", {id: created.id}));
    } catch (err) {
      KL.status(regStatus, KL.t("reg.failed") + " " + err.message, "error");
    }
  });
})();
