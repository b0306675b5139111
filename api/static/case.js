/* Case page: the lead and partners as a small network, coloured by their place in the pentagon. */
"use strict";
(() => {
  const container = document.getElementById("case-network");
  const statusNode = document.querySelector(".network-status");
  const data = JSON.parse(document.getElementById("case-data").textContent);
  if (typeof cytoscape === "undefined") { KL.status(statusNode, KL.t("case.no_library"), "error"); return; }

  const COLOURS = {"overheid": "#2f7d4f", "bedrijven": "#1d4ed8", "kennisinstellingen": "#7c3aed",
                   "middenveld-burgers": "#c2410c", "financiers": "#a16207"};
  const elements = [{data: {id: "case", label: data.title, kind: "case"}}];
  const seen = new Set();
  data.participants.forEach((p, i) => {
    const id = "p" + i;
    if (seen.has(p.iri + p.role)) return;  // one node per agent and role
    seen.add(p.iri + p.role);
    const lead = p.role === "trekker" || p.role === "co-trekker";
    elements.push({data: {id, label: p.name, kind: p.government ? "government" : "organisation",
                          colour: COLOURS[p.pentagon] || "#6b7280", page: p.page || ""}});
    elements.push({data: {id: "e" + i, source: id, target: "case",
                          label: (p.role_label && p.role_label[KL.lang]) || "", lead: lead ? "yes" : "no"}});
  });
  if (data.lead_organisation_name) {
    elements.push({data: {id: "leadorg", label: data.lead_organisation_name, kind: "organisation", colour: "#6b7280", page: ""}});
    elements.push({data: {id: "eleadorg", source: "leadorg", target: "case", label: KL.t("case.lead_org"), lead: "yes"}});
  }

  const cy = cytoscape({
    container,
    elements,
    layout: {name: "concentric", concentric: (n) => (n.data("kind") === "case" ? 2 : 1), levelWidth: () => 1,
             minNodeSpacing: 30, padding: 20, animate: false},
    userZoomingEnabled: false,
    wheelSensitivity: 0.2,
    style: [
      {selector: "node", style: {"label": "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 110,
                                 "text-valign": "bottom", "text-margin-y": 4, "width": 26, "height": 26,
                                 "background-color": "data(colour)", "color": "#1f2937"}},
      {selector: "node[kind = 'government']", style: {"shape": "round-rectangle", "width": 32, "height": 32}},
      {selector: "node[kind = 'case']", style: {"shape": "round-rectangle", "background-color": "#f4efe6",
                                                "border-color": "#2f7d4f", "border-width": 3, "width": 60, "height": 40,
                                                "text-valign": "center", "text-margin-y": 0, "font-weight": "bold",
                                                "text-max-width": 160, "font-size": 12}},
      {selector: "edge", style: {"width": 1.5, "line-color": "#9ca3af", "curve-style": "bezier", "label": "data(label)",
                                 "font-size": 9, "color": "#4b5563", "text-rotation": "autorotate",
                                 "text-background-color": "#ffffff", "text-background-opacity": 0.8}},
      {selector: "edge[lead = 'yes']", style: {"width": 4, "line-color": "#2f7d4f"}},
    ],
  });
  cy.on("tap", "node", (evt) => { const page = evt.target.data("page"); if (page) window.location.href = page; });
  container.dataset.nodes = String(cy.nodes().length);
  container.dataset.edges = String(cy.edges().length);
  container.dataset.ready = "true";
  KL.status(statusNode, KL.t("case.network_ready", {n: cy.nodes().length - 1}));
})();
