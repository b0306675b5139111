/* Government page: peers and practices (one request to the recommender) and the small map. */
"use strict";
(() => {
  const section = document.getElementById("recommendations");
  const self = section.dataset.self;
  const neighbours = new Set((section.dataset.neighbours || "").split(" ").filter(Boolean));
  const peers = new Set();
  const classify = (p) => (p.nis_code === self ? "self" : peers.has(p.nis_code) ? "peer"
                           : neighbours.has(p.nis_code) ? "neighbour" : "other");
  const mapReady = document.getElementById("gov-map")
    ? KL.drawMap(document.getElementById("gov-map"), {classify, focus: self ? [self, ...neighbours] : []})
    : Promise.resolve(null);

  if (!section.dataset.nis) return;
  const statusNode = section.querySelector(".reco-status");
  KL.status(statusNode, KL.t("reco.loading"));
  KL.postJSON("/api/v1/recommendations", {nis_code: section.dataset.nis, limit: 8})
    .then(async (result) => {
      KL.renderRecommendations(section.querySelector("[data-testid=peers]"), result.peers, "peer");
      KL.renderRecommendations(section.querySelector("[data-testid=practices]"), result.practices, "practice");
      KL.status(statusNode, KL.t("reco.done", {peers: result.peers.length, practices: result.practices.length}));
      for (const p of result.peers) if (p.nis_code) peers.add(p.nis_code);
      const drawn = await mapReady;
      if (drawn) drawn.restyle(classify);
    })
    .catch((err) => KL.status(statusNode, KL.t("reco.failed") + " " + err.message, "error"));
})();
