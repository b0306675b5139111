/* Shared helpers for the Kringloop pages: labels, JSON requests, reasons, and the map of Flanders. */
"use strict";

const KL = (() => {
  const labels = JSON.parse(document.getElementById("kl-labels").textContent);
  const lang = document.documentElement.lang === "en" ? "en" : "nl";

  /** An interface text in the page language, with {name} placeholders filled in. */
  function t(key, values) {
    let text = labels[key];
    if (text === undefined) return key;
    for (const [k, v] of Object.entries(values || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  }

  /** Build an element; children may be strings (as text, never HTML) or nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(message, status, body) { super(message); this.status = status; this.body = body || {}; }
  }

  /** fetch() that returns parsed JSON or throws an ApiError carrying the server's message. */
  async function fetchJSON(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new ApiError(t("error.network"), 0);
    }
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json().catch(() => ({})) : {};
    if (!response.ok) {
      if (response.status === 404 && !body.error) throw new ApiError(t("error.missing_endpoint"), 404, body);
      throw new ApiError(body.error || t("error.status", {status: response.status}), response.status, body);
    }
    return body;
  }

  function postJSON(url, payload) {
    return fetchJSON(url, {method: "POST", headers: {"Content-Type": "application/json", "Accept": "application/json"},
                           body: JSON.stringify(payload)});
  }

  /** The text of a reason in the page language. */
  function reasonText(reason) {
    return (lang === "en" ? reason.text_en : reason.text_nl) || reason.text_nl || reason.text_en || reason.kind;
  }

  function scoreBar(score) {
    const pct = Math.max(0, Math.min(100, Math.round((score || 0) * 100)));
    return el("span", {class: "score", title: t("reco.score") + " " + pct + "%"},
              el("span", {class: "score-bar", "aria-hidden": "true"}, el("span", {style: "width:" + pct + "%"})),
              el("span", {class: "score-num"}, t("reco.score") + " " + (score || 0).toFixed(2)));
  }

  /** Fill an <ol> with recommended peers or practices, each with its reasons. */
  function renderRecommendations(list, items, kind) {
    list.replaceChildren();
    if (!items.length) { list.append(el("li", {class: "empty"}, t("reco.none"))); return; }
    for (const item of items) {
      let title;
      if (kind === "peer") {
        // governments without a NIS code (provinces' own pages aside) are found by the identifier
        // that ends their IRI, as /bestuur/{id} does
        const id = item.nis_code || (item.iri ? item.iri.split("/").pop() : null);
        const href = id ? "/bestuur/" + encodeURIComponent(id) : null;
        title = href ? el("a", {href}, item.name) : el("span", {}, item.name);
      } else {
        title = el("a", {href: "/praktijk/" + encodeURIComponent(item.id)}, item.title || item.id);
      }
      const reasons = el("ul", {class: "reasons", "aria-label": t("reco.reasons")},
                         (item.reasons || []).map((r) => el("li", {"data-kind": r.kind}, reasonText(r))));
      list.append(el("li", {class: "reco", "data-testid": kind},
                     el("div", {class: "reco-head"}, title, scoreBar(item.score)), reasons, contactLine(item, kind)));
    }
  }

  /** "Contact: who leads it and their website (with its source)", or plainly "geen contact bekend". */
  function website(contact) {
    if (!contact) return [el("span", {class: "contact-missing", "data-testid": "contact-missing"}, t("contact.unknown"))];
    return [el("a", {href: contact.website, rel: "noopener external", "data-testid": "contact-website"}, contact.website),
            " (", el("a", {href: contact.source, rel: "noopener external", class: "meta"}, t("contact.source")), ")"];
  }
  function contactLine(item, kind) {
    const parts = [];
    if (kind === "peer") parts.push(...website(item.contact));
    else if (!(item.leads || []).length) parts.push(...website(null));
    else (item.leads || []).forEach((lead, i) => {
      parts.push(...(i ? ["; "] : []), lead.name + " (" + t("contact.role_" + lead.role) + "): ", ...website(lead.contact));
    });
    return el("p", {class: "reco-contact", "data-testid": "contact"}, el("strong", {}, t("contact.for_practice") + ": "), ...parts);
  }

  /** Show a message in a live region; kind "error" also marks it for assistive technology. */
  function status(node, message, kind) {
    if (!node) return;
    node.textContent = message || "";
    node.classList.toggle("error", kind === "error");
  }

  // ---- the map: municipalities as a GeoJSON layer, no tile server (works offline) ----
  let mapData = null;
  function loadMap() {
    if (!mapData) mapData = fetchJSON("/api/v1/browse/map");
    return mapData;
  }

  function caseClass(n) {
    if (n >= 6) return "cases-6";
    if (n >= 3) return "cases-3";
    if (n >= 1) return "cases-1";
    return "cases-0";
  }

  const STYLE_COLOURS = {
    "cases-0": "#eef2ee", "cases-1": "#b9dcc2", "cases-3": "#6fb587", "cases-6": "#2f7d4f",
    "self": "#c2410c", "peer": "#1d4ed8", "peer-area": "#93c5fd", "neighbour": "#c7d2fe", "other": "#f1f1f1",
  };

  /**
   * Draw the map in `container`. options.classify(props) returns a style class (see STYLE_COLOURS);
   * options.frontrunners outlines front-runners; options.focus is a list of NIS codes to zoom to.
   * Returns {map, layer, restyle(classify)} or null when Leaflet is missing.
   */
  async function drawMap(container, options) {
    const statusNode = container.closest("figure")?.querySelector(".map-status");
    if (typeof L === "undefined") { status(statusNode, t("map.no_library"), "error"); return null; }
    let data;
    try {
      data = await loadMap();
    } catch (err) {
      status(statusNode, err.message, "error");
      return null;
    }
    const map = L.map(container, {zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false,
                                  keyboard: true, minZoom: 6, maxZoom: 12});
    let classify = options.classify;
    const style = (feature) => {
      const cls = classify(feature.properties);
      const front = options.frontrunners && feature.properties.frontrunner;
      return {fillColor: STYLE_COLOURS[cls] || STYLE_COLOURS.other, fillOpacity: 0.9,
              color: front ? "#7c2d12" : "#8a8f8a", weight: front ? 2 : 0.5};
    };
    const layer = L.geoJSON(data, {
      style,
      onEachFeature: (feature, lyr) => {
        const p = feature.properties;
        lyr.bindTooltip(p.name + " · " + t("map.tooltip_cases", {n: p.cases}) +
                        (p.frontrunner ? " · " + t("map.frontrunner") : ""), {sticky: true});
        lyr.on("click", () => { window.location.href = "/bestuur/" + p.nis_code; });
      },
    }).addTo(map);
    const focus = new Set(options.focus || []);
    let bounds = null;
    if (focus.size) {
      layer.eachLayer((lyr) => {
        if (focus.has(lyr.feature.properties.nis_code)) bounds = bounds ? bounds.extend(lyr.getBounds()) : L.latLngBounds(lyr.getBounds().getSouthWest(), lyr.getBounds().getNorthEast());
      });
    }
    map.fitBounds(bounds || layer.getBounds(), {padding: [8, 8]});
    container.dataset.ready = "true";
    status(statusNode, t("map.ready", {n: data.features.length}));
    return {
      map, layer,
      restyle(newClassify, focusCodes) {
        classify = newClassify;
        layer.setStyle(style);
        if (focusCodes && focusCodes.length) {
          const wanted = new Set(focusCodes);
          let b = null;
          layer.eachLayer((lyr) => {
            if (wanted.has(lyr.feature.properties.nis_code)) b = b ? b.extend(lyr.getBounds()) : L.latLngBounds(lyr.getBounds().getSouthWest(), lyr.getBounds().getNorthEast());
          });
          if (b) map.fitBounds(b, {padding: [20, 20], maxZoom: 10});
        }
      },
    };
  }

  return {t, el, lang, fetchJSON, postJSON, ApiError, reasonText, renderRecommendations, status, drawMap, loadMap, caseClass};
})();
