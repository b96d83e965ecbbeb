// The planner page: a Leaflet map of the network, a query form kept in the URL, and the routes
// the API returns (the --json contract) drawn with their ranked table and itinerary.
// Every string from the data reaches the page through textContent or a DOM attribute, never
// through innerHTML: Leaflet's tooltips get DOM elements, and its layer control fixed names.
"use strict";

(function () {
  const FIELDS = ["from", "to", "via", "by", "k", "avoid", "month"];
  const CHECKS = ["modes"];
  const FLAGS = ["projects", "reopen"];
  const state = { config: null, map: null, nodes: new Map(), links: new Map(), routes: [],
                  routeLayer: null, selected: 1, request: null, clickTarget: "from", legend: null };

  // -- small DOM helpers: text only

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(key, value);
    return node;
  }

  function lineSwatch(colour, dashes, weight) {
    const box = svg("svg", { width: 34, height: 12, "aria-hidden": "true" });
    box.append(svg("line", { x1: 3, y1: 6, x2: 31, y2: 6, stroke: colour, "stroke-width": weight || 3,
                             "stroke-linecap": "round", "stroke-dasharray": dashes }));
    return box;
  }

  function circleSwatch(options) {
    const box = svg("svg", { width: 34, height: 20, "aria-hidden": "true" });
    box.append(svg("circle", { cx: 17, cy: 10, r: options.radius, stroke: options.color,
                               "stroke-width": options.weight, fill: options.fill_color }));
    return box;
  }

  // -- numbers, as the command line's table writes them

  function number(value, digits) {
    return Number(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function duration(hours) {
    if (hours < 24) return `${hours.toFixed(1)}h`;
    const whole = Math.round(hours);
    return `${Math.floor(whole / 24)}d ${String(whole % 24).padStart(2, "0")}h`;
  }

  function timeRange(low, high) {
    // as the command line's table: half days from a day up, else hours
    if (high < 24) {
      const [a, b] = [Math.round(low), Math.round(high)];
      return a !== b ? `${a}–${b} h` : `${b} h`;
    }
    const [a, b] = [Math.floor(low / 12) / 2, Math.ceil(high / 12) / 2];
    return a !== b ? `${a}–${b} d` : `${b} d`;
  }

  function layerName(layer) {
    return layer.startsWith("rail") ? `rail ${layer.slice(4)} mm` : layer;
  }

  function label(text) {
    return String(text).replaceAll("_", " ");
  }

  // -- the API

  async function getJSON(url, signal) {
    const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
      const error = new Error(message);
      error.parameter = body && body.error ? body.error.parameter : null;
      throw error;
    }
    return body;
  }

  // -- the map of the network

  function linkStyle(props) {
    const s = state.config.style;
    const colour = props.status === "suspended" ? s.suspended : (s.modes[props.mode] || s.other);
    return { color: colour, weight: s.link_weight, opacity: 0.75, dashArray: s.dashes[props.status] || null };
  }

  function linkTooltip(props) {
    return el("div", { class: "corridors-tooltip" },
      el("strong", {}, props.corridor || props.id), el("br"),
      `${props.mode}${props.gauge_mm ? ` ${props.gauge_mm} mm` : ""}, ${label(props.status)}, `,
      `${number(props.length_km, 0)} km${props.length_estimated ? " (estimated)" : ""}`,
      props.project ? el("div", {}, `project: ${props.project}`) : null);
  }

  function nodeTooltip(props) {
    const s = state.config.style;
    return el("div", { class: "corridors-tooltip" },
      el("strong", {}, props.name), el("br"),
      `${s.node_labels[props.kind] || props.kind}, ${props.country}`,
      props.border ? el("div", {}, `border ${props.border.countries.join(" – ")}: ${props.border.hours} h`) : null,
      el("div", { class: "hint" }, "click: use as endpoint"));
  }

  function drawNetwork(network, countries) {
    const s = state.config.style;
    const map = state.map;
    if (countries) {
      L.geoJSON(countries, { style: () => s.country, interactive: false }).addTo(map);
    }
    const byMode = {};
    const places = L.layerGroup();
    for (const feature of network.features) {
      const props = feature.properties;
      const coords = feature.geometry.coordinates;
      if (feature.geometry.type === "Point") {
        state.nodes.set(props.id, { props, latlng: [coords[1], coords[0]] });
        if (props.kind === "junction") continue;
        const style = s.nodes[props.kind] || s.nodes.junction;
        const marker = L.circleMarker([coords[1], coords[0]], {
          radius: style.radius, color: style.color, fillColor: style.fill_color, fillOpacity: 1,
          weight: style.weight, className: "corridors-node",
        });
        marker.bindTooltip(() => nodeTooltip(props), { sticky: false });
        marker.on("click", (event) => { L.DomEvent.stopPropagation(event); setEndpoint(endpointText(props)); });
        places.addLayer(marker);
      } else if (feature.geometry.type === "LineString") {
        state.links.set(props.id, coords.map((c) => [c[1], c[0]]));
        const group = byMode[props.mode] || (byMode[props.mode] = L.layerGroup());
        const line = L.polyline(coords.map((c) => [c[1], c[0]]), { ...linkStyle(props), className: "corridors-link" });
        line.bindTooltip(() => linkTooltip(props), { sticky: true });
        group.addLayer(line);
      }
    }
    const overlays = {};
    for (const mode of Object.keys(s.modes)) {
      if (byMode[mode]) { byMode[mode].addTo(map); overlays[mode[0].toUpperCase() + mode.slice(1)] = byMode[mode]; }
    }
    places.addTo(map);
    overlays.Places = places;
    state.routeLayer = L.layerGroup().addTo(map);
    overlays.Routes = state.routeLayer;
    L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
    const bounds = L.latLngBounds([...state.nodes.values()].map((n) => n.latlng));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    addLegend(network);
  }

  function endpointText(props) {
    // a name that stands for more than one place is ambiguous: use the id
    let same = 0;
    for (const node of state.nodes.values()) if (node.props.name === props.name) same += 1;
    return same > 1 ? props.id : props.name;
  }

  function addLegend(network) {
    const s = state.config.style;
    const modes = new Set(), statuses = new Set(), kinds = new Set();
    for (const f of network.features) {
      if (f.geometry.type === "Point") { if (f.properties.kind !== "junction") kinds.add(f.properties.kind); }
      else { modes.add(f.properties.mode); statuses.add(f.properties.status); }
    }
    const legend = L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const body = el("details", { open: "" }, el("summary", {}, "Legend"));
      const box = el("div", { class: "corridors-legend", id: "legend" }, body);
      const section = (title, rows) => el("div", { class: "corridors-legend-section" },
        el("div", { class: "corridors-legend-title" }, title),
        ...rows.map(([swatch, text]) => el("div", { class: "corridors-legend-row" }, swatch, el("span", {}, text))));
      body.append(section("Modes", Object.keys(s.modes).filter((m) => modes.has(m))
        .map((m) => [lineSwatch(s.modes[m]), m[0].toUpperCase() + m.slice(1)])));
      body.append(section("Status", Object.keys(s.status_labels).filter((st) => statuses.has(st))
        .map((st) => [lineSwatch(st === "suspended" ? s.suspended : "#444444", s.dashes[st]), s.status_labels[st]])));
      body.append(section("Places", Object.keys(s.nodes).filter((k) => kinds.has(k))
        .map((k) => [circleSwatch(s.nodes[k]), s.node_labels[k] || k])));
      state.legendRoutes = el("div", { id: "legend-routes" });
      body.append(state.legendRoutes);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(state.map);
  }

  // -- the query form and the URL

  function formParams() {
    const form = document.getElementById("query");
    const params = new URLSearchParams();
    for (const name of ["from", "to"]) params.set(name, form.elements[name].value.trim());
    for (const via of form.elements.via.value.split(";").map((v) => v.trim()).filter(Boolean)) params.append("via", via);
    params.set("by", form.elements.by.value);
    params.set("k", form.elements.k.value || "1");
    const avoid = form.elements.avoid.value.trim();
    if (avoid) params.set("avoid", avoid);
    if (form.elements.month.value) params.set("month", form.elements.month.value);
    for (const name of CHECKS) {
      const boxes = [...form.querySelectorAll(`input[name=${name}]`)];
      params.set(name, boxes.filter((b) => b.checked).map((b) => b.value).join(","));
    }
    for (const name of FLAGS) if (form.elements[name].checked) params.set(name, form.elements[name].value);
    return params;
  }

  function fillForm(params) {
    const form = document.getElementById("query");
    for (const name of FIELDS) {
      if (name === "via") form.elements.via.value = params.getAll("via").join("; ");
      else if (params.has(name)) form.elements[name].value = params.get(name);
    }
    for (const name of CHECKS) {
      if (!params.has(name)) continue;
      const wanted = new Set(params.get(name).split(",").map((v) => v.trim()));
      for (const box of form.querySelectorAll(`input[name=${name}]`)) box.checked = wanted.has(box.value);
    }
    for (const name of FLAGS) form.elements[name].checked = params.get(name) === form.elements[name].value;
  }

  function setEndpoint(text) {
    const form = document.getElementById("query");
    const target = state.clickTarget;
    form.elements[target].value = text;
    state.clickTarget = target === "from" ? "to" : "from";
    showHint();
    if (target === "to" && form.elements.from.value.trim()) run(true);
  }

  function showHint() {
    document.getElementById("hint").textContent =
      `Or click the map: the next click sets ${state.clickTarget === "from" ? "From" : "To"}.`;
  }

  let suggestTimer = null;
  function suggest(input) {
    clearTimeout(suggestTimer);
    const text = input.value.split(";").pop().trim();
    if (text.length < 2) return;
    suggestTimer = setTimeout(async () => {
      try {
        const found = await getJSON(`${state.config.api}/places?` + new URLSearchParams({ q: text, limit: "12" }));
        const list = document.getElementById("places");
        const lower = text.toLowerCase();
        found.sort((a, b) => (b.name.toLowerCase().startsWith(lower) - a.name.toLowerCase().startsWith(lower)));
        list.replaceChildren(...found.map((p) => {
          const option = el("option", { value: p.name });
          option.label = `${p.country} · ${label(p.kind)}`;
          return option;
        }));
      } catch (err) { /* suggestions are a convenience: the query itself reports errors */ }
    }, 120);
  }

  // -- routes

  async function run(push) {
    const params = formParams();
    if (!params.get("from") || !params.get("to")) return;
    const url = `?${params}`;
    if (push && url !== window.location.search) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    if (state.request) state.request.abort();
    state.request = new AbortController();
    const button = document.getElementById("submit");
    button.disabled = true;
    document.body.classList.add("busy");
    showError(null);
    try {
      const plan = await getJSON(`${state.config.api}/route?${params}`, state.request.signal);
      showPlan(plan);
    } catch (err) {
      if (err.name === "AbortError") return;
      showPlan(null);
      showError(err);
    } finally {
      button.disabled = false;
      document.body.classList.remove("busy");
    }
  }

  function showError(err) {
    const box = document.getElementById("error");
    for (const input of document.querySelectorAll("#query [aria-invalid]")) input.removeAttribute("aria-invalid");
    box.hidden = !err;
    box.textContent = err ? err.message : "";
    if (err && err.parameter) {
      const input = document.getElementById(err.parameter);
      if (input) input.setAttribute("aria-invalid", "true");
    }
  }

  function showPlan(plan) {
    state.routes = plan ? plan.routes : [];
    state.selected = 1;
    const notes = document.getElementById("notes");
    notes.replaceChildren(...(plan ? plan.notes : []).map((n) => el("li", {}, n)));
    const table = document.getElementById("routes");
    table.hidden = state.routes.length === 0;
    table.tBodies[0].replaceChildren(...state.routes.map((r) => {
      const colour = state.config.style.routes[(r.rank - 1) % state.config.style.routes.length];
      const row = el("tr", { "data-rank": r.rank, tabindex: "0" },
        el("td", {}, lineSwatch(colour, null, 5), ` ${r.rank}`),
        el("td", { class: "num" }, `${number(r.totals.distance_km, 0)} km`),
        el("td", { class: "num" }, duration(r.totals.time_h)),
        el("td", { class: "num range" }, "time_h_low" in r.totals ? timeRange(r.totals.time_h_low, r.totals.time_h_high) : ""),
        el("td", { class: "num" }, `${number(r.totals.cost_usd_per_t, 0)} $/t`),
        el("td", { class: "num" }, r.border_crossings.filter((c) => c.kind !== "port").length),
        el("td", {}, r.modes.join("+")));
      row.addEventListener("click", () => select(r.rank));
      row.addEventListener("keydown", (e) => { if (e.key === "Enter") select(r.rank); });
      return row;
    }));
    drawRoutes();
    select(1, true);
  }

  function routeColour(rank) {
    const colours = state.config.style.routes;
    return colours[(rank - 1) % colours.length];
  }

  function drawRoutes() {
    const s = state.config.style;
    state.routeLayer.clearLayers();
    if (state.legendRoutes) state.legendRoutes.replaceChildren();
    const bounds = L.latLngBounds([]);
    for (const route of [...state.routes].reverse()) {
      const colour = routeColour(route.rank);
      const weight = route.rank === 1 ? s.top_route_weight : s.route_weight;
      const group = L.featureGroup();
      for (const seg of route.segments) {
        let line = state.links.get(seg.link_id);
        if (!line) continue;
        const start = state.nodes.get(seg.from);
        if (start && line.length && L.latLng(line[0]).distanceTo(start.latlng) > L.latLng(line[line.length - 1]).distanceTo(start.latlng)) {
          line = [...line].reverse();
        }
        const scale = weight / s.link_weight;
        const dashes = s.dashes[seg.status] ? s.dashes[seg.status].split(" ").map((d) => Math.round(d * scale)).join(" ") : null;
        const path = L.polyline(line, { color: colour, weight, opacity: 0.9, dashArray: dashes,
                                        className: `corridors-route corridors-route-${route.rank}` });
        path.bindTooltip(() => el("div", { class: "corridors-tooltip" },
          el("strong", {}, `Route ${route.rank}: ${seg.corridor}`), el("br"),
          `${seg.from_name} → ${seg.to_name}, ${seg.mode}, ${label(seg.status)}`), { sticky: true });
        path.on("click", () => select(route.rank));
        group.addLayer(path);
        bounds.extend(path.getBounds());
      }
      const stops = [
        ...route.border_crossings.map((c) => c.kind === "port"
          ? ["port_call", c.node, `${c.name}: in ${c.country}, sea ${c.from_country} → ${c.to_country}`]
          : ["border_crossing", c.node, `${c.name}: ${c.from_country} → ${c.to_country}`]),
        ...route.transfers.map((t) => ["transfer", t.node, `${t.name}: ${layerName(t.from_layer)} → ${layerName(t.to_layer)}`]),
        ["endpoint", route.origin, null], ["endpoint", route.destination, null],
      ];
      for (const [kind, id, text] of stops) {
        const node = state.nodes.get(id);
        if (!node) continue;
        const style = kind === "endpoint" ? { radius: 8, color: "#FFFFFF", fill: colour, weight: 3 }
          : kind === "border_crossing" ? { radius: 6, color: "#222222", fill: colour, weight: 2 }
          : { radius: 6, color: colour, fill: "#FFFFFF", weight: 3 };
        const marker = L.circleMarker(node.latlng, { radius: style.radius, color: style.color, fillColor: style.fill,
          fillOpacity: 1, weight: style.weight, className: "corridors-stop" });
        marker.bindTooltip(() => el("div", { class: "corridors-tooltip" }, text || node.props.name));
        group.addLayer(marker);
      }
      group.addTo(state.routeLayer);
      route.layer = group;
      if (state.legendRoutes) {
        state.legendRoutes.prepend(el("div", { class: "corridors-legend-row" }, lineSwatch(colour, null, weight),
          el("span", {}, `Route ${route.rank}: ${number(route.totals.distance_km, 0)} km, ${duration(route.totals.time_h)}, ${number(route.totals.cost_usd_per_t, 0)} $/t`)));
      }
    }
    if (state.legendRoutes && state.routes.length) {
      state.legendRoutes.prepend(el("div", { class: "corridors-legend-title" }, "Routes"));
    }
    if (bounds.isValid()) state.map.fitBounds(bounds, { padding: [30, 30] });
  }

  function select(rank, quiet) {
    state.selected = rank;
    for (const row of document.querySelectorAll("#routes tbody tr")) {
      row.classList.toggle("selected", Number(row.dataset.rank) === rank);
    }
    for (const route of state.routes) {
      if (!route.layer) continue;
      route.layer.setStyle({ opacity: route.rank === rank ? 1 : 0.35 });
      if (route.rank === rank) route.layer.bringToFront();
    }
    const route = state.routes.find((r) => r.rank === rank);
    document.getElementById("itinerary").replaceChildren(...(route ? itinerary(route) : []));
    if (!quiet && route && route.layer) state.map.fitBounds(route.layer.getBounds(), { padding: [30, 30] });
  }

  function itinerary(route) {
    const t = route.totals;
    const nodeName = (id) => (state.nodes.get(id) ? state.nodes.get(id).props.name : id);
    const out = [
      el("h2", {}, `Route ${route.rank}: ${nodeName(route.origin)} → ${nodeName(route.destination)}`),
      el("p", { class: "totals" }, `${number(t.distance_km, 1)} km, ${number(t.time_h, 1)} h (${duration(t.time_h)}), `
        + `${number(t.cost_usd_per_t, 2)} USD/t`
        + ("co2e_kg_per_t" in t ? `, ${number(t.co2e_kg_per_t, 1)} kg CO2e/t` : "")
        + `; countries ${route.countries.join(" → ")}`),
    ];
    if ("time_h_low" in t) {
      out.push(el("p", { class: "range" }, `time range ${timeRange(t.time_h_low, t.time_h_high)} `
        + `(${number(t.time_h_low, 1)}–${number(t.time_h_high, 1)} h)`));
    }
    if (route.relies_on.length) out.push(el("p", { class: "needs" }, `needs ${route.relies_on.join(", ")} (not operational)`));
    for (const w of route.warnings) out.push(el("p", { class: "warning" }, w));
    const steps = [
      ...route.segments.map((x) => ({ ...x, step: "segment" })),
      ...route.transfers.map((x) => ({ ...x, step: "transfer" })),
      ...route.border_crossings.map((x) => ({ ...x, step: "border" })),
    ].sort((a, b) => a.seq - b.seq);
    const list = el("ol", { class: "steps" });
    for (const step of steps) {
      const figures = `${step.distance_km ? `${number(step.distance_km, 0)} km · ` : ""}${number(step.time_h, 1)} h · ${number(step.cost_usd_per_t, 2)} $/t`;
      if (step.step === "segment") {
        list.append(el("li", { class: `step segment ${step.status}` },
          el("span", { class: "what" }, `${step.mode}${step.gauge_mm ? ` ${step.gauge_mm} mm` : ""} ${step.from_name} → ${step.to_name}`),
          el("span", { class: "corridor" }, `${step.corridor}${step.status !== "operational" ? ` (${label(step.status)})` : ""}${step.length_estimated ? ", length estimated" : ""}`),
          el("span", { class: "figures" }, figures)));
      } else if (step.step === "border") {
        list.append(el("li", { class: "step border" },
          el("span", { class: "what" }, step.kind === "port"
            ? `port ${step.name}: in ${step.country}, sea ${step.from_country} → ${step.to_country}`
            : `border ${step.name}: ${step.from_country} → ${step.to_country}, ${step.mode}`),
          el("span", { class: "figures" }, figures)));
      } else {
        list.append(el("li", { class: "step transfer" },
          el("span", { class: "what" }, `change ${step.name}: ${layerName(step.from_layer)} → ${layerName(step.to_layer)} (${label(step.kind)})`),
          el("span", { class: "figures" }, figures)));
      }
    }
    out.push(list);
    return out;
  }

  // -- start

  async function start() {
    state.config = await getJSON("static/config.json");
    document.getElementById("k").max = state.config.limits.max_k;
    document.getElementById("by").replaceChildren(
      ...state.config.objectives.map((name) => el("option", { value: name }, name)));
    const map = L.map("map", { zoomSnap: 0.25 });
    state.map = map;
    map.attributionControl.setPrefix(false);
    if (state.config.tiles) {
      L.tileLayer(state.config.tiles.url, { attribution: state.config.tiles.attribution, maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.addAttribution("Country outlines: Natural Earth");
    map.setView([35, 65], 4);
    const [network, countries] = await Promise.all([
      getJSON(`${state.config.api}/network`),
      getJSON(`${state.config.api}/network/countries`).catch(() => null),
    ]);
    drawNetwork(network, countries);
    map.on("click", (e) => setEndpoint(`${e.latlng.lat.toFixed(4)},${e.latlng.lng.toFixed(4)}`));

    const form = document.getElementById("query");
    form.addEventListener("submit", (e) => { e.preventDefault(); run(true); });
    for (const name of ["from", "to", "via"]) {
      const input = form.elements[name];
      input.addEventListener("input", () => suggest(input));
      if (name !== "via") input.addEventListener("focus", () => { state.clickTarget = name; showHint(); });
    }
    window.addEventListener("popstate", () => {
      fillForm(new URLSearchParams(window.location.search));
      run(false);
    });
    const params = new URLSearchParams(window.location.search);
    fillForm(params);
    document.body.dataset.ready = "true";
    if (params.get("from") && params.get("to")) await run(false);
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((err) => {
      showError(err);
      document.body.dataset.ready = "error";
    });
  });
})();
