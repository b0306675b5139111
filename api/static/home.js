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
