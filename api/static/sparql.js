/* SPARQL editor: example queries, results as a table, downloads in every format the endpoint speaks. */
"use strict";
(() => {
  const form = document.getElementById("sparql-form");
  const query = document.getElementById("query");
  const exampleSelect = document.getElementById("example");
  const description = document.getElementById("example-description");
  const errorBox = document.getElementById("sparql-error");
  const results = document.getElementById("sparql-results");
  const busy = form.querySelector(".busy");
  const MAX_SHOWN = 500;
  const SELECT_FORMATS = [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
  const GRAPH_FORMATS = [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"]];
  const EXTENSIONS = {json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl", ntriples: "nt", jsonld: "jsonld", rdfxml: "rdf"};
  let examples = [];

  // the query box with highlighting and prefix completion (CodeMirror, /vendor/kringloop); without
  // the bundle the plain textarea stays and everything below works the same
  const prefixes = JSON.parse(document.getElementById("sparql-prefixes").textContent || "{}");
  const editor = window.KLSparqlEditor
    ? KLSparqlEditor.create(query, {prefixes, labelId: "query-label", onRun: () => form.requestSubmit()})
    : null;
  if (editor) {
    document.getElementById("query-label").removeAttribute("for");
    query.setAttribute("aria-label", KL.t("sparql.query_plain"));
  }
  function setQuery(text) {
    if (editor) editor.set(text); else query.value = text;
  }

  KL.fetchJSON("/api/v1/sparql/examples").then((list) => {
    examples = list;
    for (const ex of list) {
      exampleSelect.append(KL.el("option", {value: ex.name}, (KL.lang === "en" ? ex.title_en : ex.title) || ex.name));
    }
    const wanted = new URLSearchParams(window.location.search).get("example");
    if (wanted && list.some((ex) => ex.name === wanted)) { exampleSelect.value = wanted; useExample(); }
  }).catch((err) => KL.status(description, KL.t("sparql.no_examples") + " " + err.message, "error"));

  function useExample() {
    const ex = examples.find((e) => e.name === exampleSelect.value);
    if (!ex) { description.textContent = ""; return; }
    setQuery(ex.query);
    description.textContent = (KL.lang === "en" ? ex.description_en : ex.description) || ex.description;
  }
  exampleSelect.addEventListener("change", useExample);

  // Ctrl/Cmd+Enter runs the query from inside the editor; Tab keeps moving focus (keyboard users)
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });

  function cellText(term) {
    if (!term) return "";
    if (term.type === "uri") return term.value;
    return term.value + (term["xml:lang"] ? "@" + term["xml:lang"] : "");
  }

  function localLink(iri) {
    // resources under this dataset's base are dereferenceable on this server
    const base = document.body.dataset.baseIri || "";
    return base && iri.startsWith(base + "id/") ? "/" + iri.slice(base.length) : null;
  }

  function renderTable(json) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    const shown = rows.slice(0, MAX_SHOWN);
    const table = KL.el("table", {"data-testid": "sparql-table"},
      KL.el("thead", {}, KL.el("tr", {}, vars.map((v) => KL.el("th", {scope: "col"}, "?" + v)))),
      KL.el("tbody", {}, shown.map((row) => KL.el("tr", {}, vars.map((v) => {
        const term = row[v];
        const text = cellText(term);
        const link = term && term.type === "uri" ? localLink(term.value) : null;
        return KL.el("td", {}, link ? KL.el("a", {href: link}, text) : text);
      })))));
    return {node: table, count: rows.length, shown: shown.length};
  }

  function downloadLinks(formats) {
    const list = document.getElementById("download-links");
    list.replaceChildren(...formats.map(([key, label]) => {
      const href = "/sparql?" + new URLSearchParams({query: query.value, format: key}).toString();
      return KL.el("li", {}, KL.el("a", {href, download: "kringloop-resultaat." + EXTENSIONS[key], "data-format": key}, label));
    }));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    if (!query.value.trim()) {
      errorBox.textContent = KL.t("sparql.err_empty");
      errorBox.hidden = false;
      (editor || query).focus();
      return;
    }
    KL.status(busy, KL.t("sparql.running"));
    document.getElementById("sparql-run").disabled = true;
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/sparql-query",
                  "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
        body: query.value});
      const type = response.headers.get("content-type") || "";
      if (!response.ok) {
        const body = type.includes("json") ? await response.json().catch(() => ({})) : {};
        throw new Error(body.error || KL.t("error.status", {status: response.status}));
      }
      const summary = results.querySelector(".result-summary");
      const target = document.getElementById("result-body");
      if (type.includes("sparql-results+json")) {
        const json = await response.json();
        if (json.boolean !== undefined) {
          target.replaceChildren(KL.el("p", {"data-testid": "sparql-boolean"}, KL.t("sparql.ask", {answer: KL.t(json.boolean ? "cop.yes" : "sparql.no")})));
          summary.textContent = "";
          downloadLinks(SELECT_FORMATS.filter(([k]) => k === "json" || k === "xml"));
        } else {
          const {node, count, shown} = renderTable(json);
          target.replaceChildren(node);
          const truncated = response.headers.get("X-Kringloop-Truncated") === "true";
          summary.textContent = KL.t("sparql.rows", {n: count}) + (shown < count ? " " + KL.t("sparql.shown", {n: shown}) : "") +
                                (truncated ? " " + KL.t("sparql.truncated") : "");
          downloadLinks(SELECT_FORMATS);
        }
      } else {
        const text = await response.text();
        target.replaceChildren(KL.el("pre", {class: "code", "data-testid": "sparql-graph"}, text));
        summary.textContent = KL.t("sparql.graph");
        downloadLinks(GRAPH_FORMATS);
      }
      results.hidden = false;
      KL.status(busy, KL.t("sparql.done"));
    } catch (err) {
      KL.status(busy, "");
      errorBox.textContent = KL.t("sparql.failed") + " " + err.message;
      errorBox.hidden = false;
    } finally {
      document.getElementById("sparql-run").disabled = false;
    }
  });
})();
