/* Data page: the 2022 survey's published figures as charts, each with a table of the same numbers. */
"use strict";
(() => {
  const statusNode = document.getElementById("survey-status");
  const label = (o) => o.label[KL.lang] || o.label.nl;
  const pct = (v) => Math.round(v * 1000) / 10 + "%";

  function table(target, rows, valueHeader) {
    target.replaceChildren(KL.el("table", {},
      KL.el("thead", {}, KL.el("tr", {}, KL.el("th", {scope: "col"}, KL.t("data.figure")),
                               KL.el("th", {scope: "col"}, valueHeader), KL.el("th", {scope: "col"}, "n"))),
      KL.el("tbody", {}, rows.map(([name, value, n]) => KL.el("tr", {},
        KL.el("th", {scope: "row"}, name), KL.el("td", {}, value), KL.el("td", {}, n ?? "–"))))));
  }

  /** Long labels as several lines, so horizontal bars keep their room on a narrow screen. */
  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of String(text).split(" ")) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    }
    if (line) lines.push(line);
    return lines;
  }

  function chart(id, type, labels, values, options) {
    const canvas = document.getElementById(id);
    if (typeof Chart === "undefined") return null;
    if (options.indexAxis === "y") {
      // room for every bar and its wrapped label
      canvas.parentElement.style.height = Math.max(12, 3.4 * labels.length) + "rem";
      labels = labels.map((l) => wrap(l, 34));
    }
    return new Chart(canvas, {
      type,
      data: {labels, datasets: [{data: values, backgroundColor: options.colours, borderWidth: 0,
                                 label: options.seriesLabel}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false, indexAxis: options.indexAxis || "x",
                plugins: {legend: {display: type === "doughnut"},
                          tooltip: {callbacks: {label: (ctx) => options.format(ctx.raw)}}},
                scales: type === "doughnut" ? {} : {
                  [options.indexAxis === "y" ? "x" : "y"]: {min: 0, max: options.max, ticks: {callback: (v) => options.format(v)}},
                  // every figure keeps its label: Chart.js would otherwise skip some when they crowd
                  [options.indexAxis === "y" ? "y" : "x"]: {ticks: {autoSkip: false}}}},
    });
  }

  const GREENS = ["#2f7d4f", "#6fb587", "#b9dcc2", "#c2410c", "#1d4ed8", "#7c3aed", "#a16207", "#0f766e"];

  KL.fetchJSON("/api/v1/browse/survey").then(({observations}) => {
    const by = (test) => observations.filter(test);
    const adoption = by((o) => o.code.startsWith("adoptiegroep-"))
      .sort((a, b) => ["koplopers", "early-majority", "late-majority"].indexOf(a.category?.code) -
                      ["koplopers", "early-majority", "late-majority"].indexOf(b.category?.code));
    const agenda = by((o) => o.code.startsWith("agenda-"));
    const shares = by((o) => o.measure === "share" && !o.code.startsWith("adoptiegroep-") && !o.code.startsWith("agenda-"));
    const scores = by((o) => o.measure === "meanScore");
    const counts = by((o) => o.measure === "respondentCount");
    const libraryMissing = typeof Chart === "undefined";

    const adoptionLabels = adoption.map((o) => o.category ? o.category[KL.lang] : label(o));
    chart("chart-adoption", "doughnut", adoptionLabels, adoption.map((o) => o.value),
          {colours: GREENS, format: pct, seriesLabel: KL.t("data.share")});
    table(document.getElementById("table-adoption"), adoption.map((o, i) => [adoptionLabels[i], pct(o.value), o.n]), KL.t("data.share"));

    chart("chart-agenda", "bar", agenda.map(label), agenda.map((o) => o.value),
          {colours: GREENS[0], format: pct, max: 1, indexAxis: "y", seriesLabel: KL.t("data.share")});
    table(document.getElementById("table-agenda"), agenda.map((o) => [label(o), pct(o.value), o.n]), KL.t("data.share"));

    chart("chart-shares", "bar", shares.map(label), shares.map((o) => o.value),
          {colours: GREENS[1], format: pct, max: 1, indexAxis: "y", seriesLabel: KL.t("data.share")});
    table(document.getElementById("table-shares"), shares.map((o) => [label(o), pct(o.value), o.n]), KL.t("data.share"));

    chart("chart-scores", "bar", scores.map(label), scores.map((o) => o.value),
          {colours: GREENS[3], format: (v) => String(v), max: 10, indexAxis: "y", seriesLabel: KL.t("data.mean")});
    table(document.getElementById("table-scores"), scores.map((o) => [label(o), o.value.toFixed(1) + " / 10", o.n]), KL.t("data.mean"));

    table(document.getElementById("table-counts"), counts.map((o) => [label(o), o.value, o.n]), KL.t("data.count"));
    document.getElementById("charts").dataset.ready = "true";
    KL.status(statusNode, libraryMissing ? KL.t("data.no_library") : KL.t("data.ready", {n: observations.length}),
              libraryMissing ? "error" : undefined);
  }).catch((err) => KL.status(statusNode, err.message, "error"));
})();
