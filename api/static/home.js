/* Home: the map of Flanders coloured by the number of cases, front-runners outlined, and the same
   figures as a table for those who cannot use the map. */
"use strict";
(() => {
  const container = document.getElementById("home-map");
  if (!container) return;
  KL.drawMap(container, {classify: (p) => KL.caseClass(p.cases), frontrunners: true});
  KL.loadMap().then((data) => {
    const rows = data.features.map((f) => f.properties).filter((p) => p.cases > 0)
      .sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name));
    const table = KL.el("table", {"data-testid": "map-table"},
      KL.el("thead", {}, KL.el("tr", {}, [KL.t("home.municipality"), KL.t("home.cases"), KL.t("home.cases_led"),
                                          KL.t("map.frontrunner")].map((h) => KL.el("th", {scope: "col"}, h)))),
      KL.el("tbody", {}, rows.map((p) => KL.el("tr", {},
        KL.el("td", {}, KL.el("a", {href: "/bestuur/" + p.nis_code}, p.name)),
        KL.el("td", {}, p.cases), KL.el("td", {}, p.cases_led),
        KL.el("td", {}, p.frontrunner ? KL.t("cop.yes") : "–")))));
    document.querySelector("#home-map-table .table-scroll").replaceChildren(table);
  }).catch(() => { document.getElementById("home-map-table").hidden = true; });
})();

/* Home: search with facets and pages. The query, the ticked facet values and the page live in the URL
   (/?q=…&theme=…&page=2), so a result can be shared and reloaded, and the back button steps through
   earlier searches. The server renders the first page (without facets) for browsers without JavaScript;
   this script then draws the same results from /api/v1/browse/search with facets and a pager. */
(() => {
  const form = document.querySelector("form.search");
  const area = document.getElementById("search-area");
  if (!form || !area) return;
  const input = form.querySelector("#q");
  const FACETS = ["theme", "instrument", "province", "size", "pentagon", "year", "status", "lead_type"];
  const OPEN_FACETS = new Set(["theme", "instrument", "province", "size"]);   // the rest start folded
  const narrow = window.matchMedia("(max-width: 40rem)");   // on a phone every facet starts folded
  const PER_PAGE = 20;
  const LIMIT = 25;
  const lang = document.documentElement.lang === "en" ? "en" : "nl";
  const t = KL.t, el = KL.el;
  let latest = 0;   // answers to older requests that arrive late are dropped

  function stateFromURL() {
    const params = new URLSearchParams(location.search);
    const filters = {};
    for (const name of FACETS) {
      const values = params.getAll(name).filter(Boolean);
      if (values.length) filters[name] = values;
    }
    const page = parseInt(params.get("page") || "1", 10);
    return {q: (params.get("q") || "").trim(), filters, page: page > 0 ? page : 1};
  }

  function queryString(state, extra) {
    const params = new URLSearchParams();
    params.set("q", state.q);
    for (const name of FACETS) for (const value of state.filters[name] || []) params.append(name, value);
    if (state.page > 1) params.set("page", String(state.page));
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  function pageURL(state) {
    const current = new URLSearchParams(location.search);
    return "/?" + queryString(state, current.get("lang") ? {lang: current.get("lang")} : {});
  }

  /** The language link keeps the search (the server builds it from the URL it served). */
  function updateLanguageLink(state) {
    const link = document.querySelector("[data-testid=lang-switch]");
    if (link) link.href = "/?" + queryString(state, {lang: lang === "nl" ? "en" : "nl"});
  }

  function plural(n, one, many) { return n === 1 ? t(one) : t(many, {n}); }
  function label(value) { return value[lang] || value.nl || value.code; }

  function go(state, how) {
    if (how === "push") history.pushState(state, "", pageURL(state));
    else if (how === "replace") history.replaceState(state, "", pageURL(state));
    updateLanguageLink(state);
    return show(state);
  }

  async function show(state) {
    input.value = state.q;
    if (!state.q) { area.replaceChildren(); return; }
    const ticket = ++latest;
    const busy = area.querySelector(".search-results");
    if (busy) { busy.setAttribute("aria-busy", "true"); delete busy.dataset.ready; }
    let body;
    try {
      body = await KL.fetchJSON("/api/v1/browse/search?" + queryString(state, {per_page: PER_PAGE, limit: LIMIT}));
    } catch (err) {
      if (ticket !== latest) return;
      area.replaceChildren(el("section", {class: "search-results", "data-testid": "search-results"},
        el("h2", {id: "results-heading"}, t("home.results_for", {q: state.q})),
        el("p", {class: "error", role: "alert", "data-testid": "search-error"}, err.message)));
      return;
    }
    if (ticket !== latest) return;
    area.replaceChildren(render(state, body));
    area.querySelector(".search-results").dataset.ready = "true";
    const status = document.getElementById("search-status");
    if (status) {
      status.textContent = plural(body.cases_total, "search.cases_one", "search.cases_many")
        + (body.pages > 1 ? ". " + t("search.page_of", {page: body.page, pages: body.pages}) : "");
    }
  }

  function render(state, body) {
    const section = el("section", {class: "search-results", "data-testid": "search-results",
                                   "aria-labelledby": "results-heading"},
      el("h2", {id: "results-heading", tabindex: "-1"}, t("home.results_for", {q: body.query})));
    for (const c of body.corrections) {
      section.append(el("p", {class: "search-note", "data-testid": "search-correction"},
        t("search.corrected", {word: c.word, terms: c.terms.join(", ")})));
    }
    for (const word of body.unmatched) {
      section.append(el("p", {class: "search-note", "data-testid": "search-unmatched"}, t("search.unmatched", {word})));
    }
    const filtered = Object.keys(body.filters).length > 0;
    if (!filtered && body.cases_total + body.governments_total + body.organisations_total === 0) {
      section.append(el("p", {role: "status"}, t("home.no_results")));
      return section;
    }
    section.append(el("div", {class: "search-layout"}, facets(state, body), el("div", {class: "search-main"},
      cases(state, body),
      el("div", {class: "columns"}, governments(body), organisations(body)))));
    return section;
  }

  function facets(state, body) {
    const box = el("div", {class: "search-facets", id: "search-facets"},
      el("h3", {}, t("search.facets")), el("p", {class: "hint"}, t("search.facets_hint")));
    if (Object.keys(body.filters).length) {
      const clear = el("button", {type: "button", class: "secondary", "data-testid": "clear-filters"}, t("search.clear_filters"));
      clear.addEventListener("click", () => go({q: state.q, filters: {}, page: 1}, "push"));
      box.append(clear);
    }
    for (const facet of body.facets) {
      if (!facet.values.length) continue;
      const chosen = new Set(body.filters[facet.field] || []);
      const list = el("ul", {class: "facet-values"}, facet.values.map((v) => {
        const box = el("input", {type: "checkbox", value: v.code, checked: v.selected, name: facet.field});
        box.addEventListener("change", () => {
          const values = new Set(state.filters[facet.field] || []);
          if (box.checked) values.add(v.code); else values.delete(v.code);
          const filters = {...state.filters, [facet.field]: [...values]};
          if (!values.size) delete filters[facet.field];
          // the results are redrawn: put the focus back on the same box for keyboard users
          go({q: state.q, filters, page: 1}, "push").then(() => {
            const again = area.querySelector(`input[name="${facet.field}"][value="${CSS.escape(v.code)}"]`);
            if (again) again.focus();
          });
        });
        return el("li", {}, el("label", {}, box, " ", label(v), " ", el("span", {class: "count"}, "(" + v.count + ")")));
      }));
      const details = el("details", {class: "facet", "data-testid": "facet-" + facet.field,
                                     open: (OPEN_FACETS.has(facet.field) && !narrow.matches) || chosen.size > 0},
        el("summary", {}, t("search.facet." + facet.field), chosen.size ? el("span", {class: "count"}, " (" + chosen.size + ")") : null),
        el("fieldset", {}, el("legend", {class: "visually-hidden"}, t("search.facet." + facet.field)), list));
      if (facet.missing) {
        details.append(el("p", {class: "meta"}, plural(facet.missing, "search.facet_missing_one", "search.facet_missing_many")));
      }
      box.append(details);
    }
    return box;
  }

  function cases(state, body) {
    const count = el("span", {"data-testid": "cases-total"}, plural(body.cases_total, "search.cases_one", "search.cases_many"));
    const part = el("section", {"aria-labelledby": "h-case"}, el("h3", {id: "h-case", tabindex: "-1"}, count));
    if (body.cases_phrase_total && body.cases_phrase_total < body.cases_total) {
      part.append(el("p", {class: "meta"}, t("search.phrase_count", {n: body.cases_phrase_total, q: body.query})));
    }
    if (!body.cases.length) {
      part.append(el("p", {role: "status"}, t(Object.keys(body.filters).length ? "search.no_cases_filtered" : "search.no_cases")));
      return part;
    }
    part.append(el("ol", {class: "result-cards", start: (body.page - 1) * body.per_page + 1}, body.cases.map((c) => {
      const meta = [c.leads ? t("search.lead") + ": " + c.leads : null, c.year, c.status ? label(c.status) : null].filter(Boolean);
      const summary = c.summary[lang] || c.summary.nl;
      return el("li", {class: "result-card", "data-testid": "case-result"},
        el("h4", {}, el("a", {href: "/praktijk/" + encodeURIComponent(c.id)}, c.name)),
        meta.length ? el("p", {class: "meta"}, meta.join(" · ")) : null,
        summary ? el("p", {class: "result-summary", lang: c.summary[lang] ? null : "nl"}, summary) : null,
        c.themes.length ? el("ul", {class: "tags", "aria-label": t("search.themes")}, c.themes.map((th) => el("li", {}, label(th)))) : null);
    })));
    if (body.pages > 1) part.append(pager(state, body));
    return part;
  }

  function pager(state, body) {
    const link = (page, text, attrs) => {
      const target = {...state, page};
      const a = el("a", {href: pageURL(target), ...attrs}, text);
      a.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;   // a new tab gets the shared URL
        event.preventDefault();
        go(target, "push").then(() => {
          const heading = document.getElementById("h-case");
          if (heading) { heading.focus(); heading.scrollIntoView({block: "start"}); }
        });
      });
      return a;
    };
    const items = [];
    if (body.page > 1) items.push(link(body.page - 1, t("search.previous"), {rel: "prev", "data-testid": "page-previous"}));
    for (let n = 1; n <= body.pages; n++) {
      const near = Math.abs(n - body.page) <= 2 || n === 1 || n === body.pages;
      if (!near) { if (items.length && items[items.length - 1].textContent !== "…") items.push(el("span", {}, "…")); continue; }
      items.push(n === body.page ? el("span", {"aria-current": "page", class: "current"}, String(n))
                                 : link(n, String(n), {"aria-label": t("search.page_of", {page: n, pages: body.pages})}));
    }
    if (body.page < body.pages) items.push(link(body.page + 1, t("search.next"), {rel: "next", "data-testid": "page-next"}));
    return el("nav", {class: "pager", "aria-label": t("search.pages_label"), "data-testid": "pager"},
      el("p", {class: "meta"}, t("search.page_of", {page: body.page, pages: body.pages})),
      el("ul", {}, items.map((item) => el("li", {}, item))));
  }

  function governments(body) {
    const part = el("section", {"aria-labelledby": "h-gov"},
      el("h3", {id: "h-gov"}, t("home.governments"), " ", el("span", {class: "count"}, "(" + body.governments_total + ")")),
      el("ul", {class: "plain"}, body.governments.map((g) => el("li", {},
        el("a", {href: "/bestuur/" + encodeURIComponent(g.id)}, g.name), " ",
        el("span", {class: "meta"}, [label(g.type_label), g.province, g.former ? t("gov.former_short") : null].filter(Boolean).join(" · "))))));
    if (body.governments_total > body.governments.length) {
      part.append(el("p", {class: "meta"}, t("search.more", {n: body.governments_total - body.governments.length})));
    }
    return part;
  }

  function organisations(body) {
    const part = el("section", {"aria-labelledby": "h-org"},
      el("h3", {id: "h-org"}, t("home.organisations"), " ", el("span", {class: "count"}, "(" + body.organisations_total + ")")),
      el("ul", {class: "plain"}, body.organisations.map((o) => el("li", {},
        el("span", {class: "org-name"}, o.name), " ", el("span", {class: "meta"}, label(o.kind_label)),
        o.description ? [el("br"), el("span", {class: "meta", lang: "nl"}, o.description)] : null,
        o.cases.length ? [el("br"), el("span", {class: "meta"}, t("home.in_cases"), " ",
          o.cases.map((c, i) => [i ? "; " : "", el("a", {href: "/praktijk/" + encodeURIComponent(c.id)}, c.title)]))] : null))));
    if (body.organisations_total > body.organisations.length) {
      part.append(el("p", {class: "meta"}, t("search.more", {n: body.organisations_total - body.organisations.length})));
    }
    return part;
  }

  form.addEventListener("submit", (event) => {
    const q = input.value.trim();
    if (!q) return;   // the browser's own "required" message
    event.preventDefault();
    go({q, filters: {}, page: 1}, "push").then(() => {
      const heading = document.getElementById("results-heading");
      if (heading) heading.focus();
    });
  });
  window.addEventListener("popstate", () => { const state = stateFromURL(); updateLanguageLink(state); show(state); });
  const initial = stateFromURL();
  if (initial.q) go(initial, "replace");
})();
