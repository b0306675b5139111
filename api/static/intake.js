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

  // choosing a municipality fills in what the graph knows, so the user only answers what is missing.
  // Each filled-in answer is marked as coming from the data (with its source) and can be removed; the
  // request sends only what stays in the form. A field the user already touched is never overwritten.
  const touched = new Set();
  form.addEventListener("input", (event) => touched.add(event.target.name));
  const untouched = (field) => !touched.has(field.name) && document.activeElement !== field && !field.value;
  const prefillBox = document.getElementById("prefilled");
  const prefillList = prefillBox.querySelector(".prefilled-list");
  const prefilled = new Map();  // element -> {chip, reset}

  function dropPrefill(element, reset) {
    const entry = prefilled.get(element);
    if (!entry) return;
    prefilled.delete(element);
    if (reset) entry.reset();
    entry.chip.remove();
    const holder = element.type === "checkbox" ? element.closest(".check") : element.closest(".field");
    holder.classList.remove("is-prefilled");
    holder.querySelector(".prefill-tag")?.remove();
    prefillBox.hidden = !prefilled.size && !prefillBox.querySelector(".prefilled-missing").textContent;
  }

  function addPrefill(element, {label, value, source, href, reset}) {
    // the button is named "Verwijder" and described by the item, so the item's words still name only its field
    const textId = "prefilled-" + element.id;
    const chip = KL.el("li", {"data-testid": "prefilled-item", "data-field": element.name, "data-value": element.value},
      KL.el("span", {id: textId}, KL.el("strong", {}, label + ": "), value, " ",
            KL.el("span", {class: "src"}, "(", href ? KL.el("a", {href, title: source.title || null}, source.text) : source.text, ")")),
      KL.el("button", {type: "button", class: "chip-remove", "aria-label": KL.t("intake.prefill_remove"),
                       "aria-describedby": textId}, "×"));
    chip.querySelector("button").addEventListener("click", () => { dropPrefill(element, true); element.focus(); });
    prefillList.append(chip);
    prefilled.set(element, {chip, reset});
    const holder = element.type === "checkbox" ? element.closest(".check") : element.closest(".field");
    holder.classList.add("is-prefilled");
    // next to the label, not in it: the field's accessible name stays the question
    holder.querySelector("label").after(KL.el("span", {class: "prefill-tag", "aria-hidden": "true"}, KL.t("intake.prefill_tag")));
  }
  // changing a filled-in answer makes it the user's own: it is no longer marked as coming from the data
  form.addEventListener("change", (event) => { if (event.target !== form.nis_code) dropPrefill(event.target, false); });

  form.nis_code.addEventListener("change", async () => {
    for (const element of [...prefilled.keys()]) dropPrefill(element, true);
    prefillBox.querySelector(".prefilled-missing").textContent = "";
    prefillBox.hidden = true;
    const nis = form.nis_code.value;
    if (!nis) return;
    try {
      const gov = await KL.fetchJSON("/api/v1/browse/governments/" + encodeURIComponent(nis));
      if (form.nis_code.value !== nis) return;  // the user chose another one meanwhile
      const name = KL.lang === "en" ? (gov.name_en || gov.name) : gov.name;
      const page = "/bestuur/" + encodeURIComponent(nis);
      const fromGov = {text: KL.t("intake.prefill_src_gov", {name})};
      const scalar = (field, value, label, source) => {
        field.value = value;
        addPrefill(field, {label, value: field.options ? field.options[field.selectedIndex].text : value,
                           source, href: page, reset: () => { field.value = ""; }});
      };
      if (untouched(form.government_type) && gov.type && form.government_type.querySelector(`option[value="${CSS.escape(gov.type)}"]`)) {
        scalar(form.government_type, gov.type, KL.t("note.q_government_type"), fromGov);
      }
      if (untouched(form.province) && gov.province) {
        const opt = [...form.province.options].find((o) => gov.province.name.endsWith(o.value) && o.value);
        if (opt) scalar(form.province, opt.value, KL.t("note.q_province"), fromGov);
      }
      if (untouched(form.population) && gov.population) {
        scalar(form.population, String(gov.population), KL.t("note.q_population"),
               gov.population_date ? {text: KL.t("intake.prefill_src_population", {date: gov.population_date})} : fromGov);
      }
      // themes of the practices it took part in, most frequent first
      const byTheme = new Map();
      for (const c of gov.cases || []) for (const code of c.themes || []) {
        if (!byTheme.has(code)) byTheme.set(code, []);
        byTheme.get(code).push(c.title);
      }
      for (const [code, titles] of [...byTheme].sort((a, b) => b[1].length - a[1].length)) {
        const box = document.getElementById("themes-" + code);
        if (!box || box.checked) continue;  // what the user ticked stays the user's own
        box.checked = true;
        const n = titles.length;
        addPrefill(box, {label: KL.t("intake.prefill_theme"), value: box.labels[0].textContent.trim(),
                         source: {text: n === 1 ? KL.t("intake.prefill_src_case", {name}) : KL.t("intake.prefill_src_cases", {n, name}),
                                  title: titles.join(" · ")},
                         href: page, reset: () => { box.checked = false; }});
      }
      // the graph holds no maturity of a municipality: say so rather than guess
      prefillBox.querySelector(".prefilled-missing").textContent = KL.t("intake.prefill_no_maturity", {name});
      prefillBox.hidden = false;
    } catch (err) { /* the form still works without the hints */ }
  });

  /** The note for the council about the answers behind the results (a link: it can be shared). */
  function noteUrl(body, format) {
    const params = new URLSearchParams();
    if (body.nis_code) params.append("nis_code", body.nis_code);
    const profile = body.profile || {};
    for (const key of ["name", "government_type", "province", "population", "maturity", "description"]) {
      if (profile[key] !== undefined) params.append(key, String(profile[key]));
    }
    for (const key of ["themes", "instruments", "barriers", "drivers"]) for (const code of profile[key] || []) params.append(key, code);
    params.append("lang", KL.lang);
    if (format) params.append("format", format);
    return "/api/v1/notes?" + params.toString();
  }

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
      document.getElementById("note-link").href = noteUrl(body);
      document.getElementById("note-pdf").href = noteUrl(body, "pdf");
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
