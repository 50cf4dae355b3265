/* The national map: county cells from /map/shapes.geojson coloured by the chosen layer. */
(function () {
  "use strict";
  var view = JSON.parse(document.getElementById("map-data").textContent);
  var T = JSON.parse(document.getElementById("map-l10n").textContent);
  var ko = T.lang === "ko";
  var byId = {};
  view.counties.forEach(function (c) { byId[c.id] = c; });
  var STATUS_COLOURS = {"planned": "#c6dbef", "ground-breaking": "#fdae6b", "under construction": "#f16913",
    "completed": "#74c476", "inaugurated": "#238b45", "operating": "#00441b", "delayed": "#cc79a7", "cancelled": "#6e7781"};
  var NO_DATA = "#e6e6e6";

  function ramp(n) {  // n colours spread over the sequential palette
    var p = T.palette, out = [];
    for (var i = 0; i < n; i++) { out.push(p[Math.round(n === 1 ? 0 : i * (p.length - 1) / (n - 1))]); }
    return out;
  }
  function quantiles(values, k) {
    var v = values.filter(function (x) { return x !== null && x !== undefined; }).sort(function (a, b) { return a - b; });
    var cuts = [];
    for (var i = 1; i < k; i++) { cuts.push(v[Math.floor(i * v.length / k)]); }
    return cuts;
  }
  function fmt(x) { return x === null || x === undefined ? "" : Number(x).toLocaleString(ko ? "ko-KR" : "en-US"); }

  function scheme(layer) {
    if (layer === "year") {
      var cols = ramp(view.years.length), m = {};
      view.years.forEach(function (y, i) { m[y] = cols[i]; });
      return {colour: function (c) { return c.planned_year ? m[c.planned_year] : NO_DATA; },
        items: view.years.map(function (y) { return [m[y], String(y)]; }).concat([[NO_DATA, T.not_planned]]), record: true};
    }
    if (layer === "status") {
      return {colour: function (c) { return c.readable ? (STATUS_COLOURS[c.status] || NO_DATA) : NO_DATA; },
        items: view.statuses.map(function (s) { return [STATUS_COLOURS[s], T.status[s] || s]; }).concat([[NO_DATA, T.no_data + " / " + T.not_readable]])};
    }
    var vals = view.counties.map(function (c) { return c[layer]; });
    var cuts = quantiles(vals, 5), cols = ramp(5);
    function bin(x) { var i = 0; while (i < cuts.length && x >= cuts[i]) { i++; } return i; }
    var items = cols.map(function (col, i) {
      var lo = i === 0 ? Math.min.apply(null, vals.filter(function (x) { return x != null; })) : cuts[i - 1];
      return [col, (i === cols.length - 1 ? "≥ " + fmt(lo) : fmt(lo) + " – " + fmt(cuts[i]))];
    });
    return {colour: function (c) { return c[layer] == null ? NO_DATA : cols[bin(c[layer])]; }, items: items.concat([[NO_DATA, T.no_data]])};
  }

  var map = L.map("map", {zoomSnap: 0.25, attributionControl: false, minZoom: 5, maxZoom: 12});
  var counties = null, current = null;
  function style(f) {
    var c = byId[f.properties.id];
    var rec = current.record && c && c.record;
    return {fillColor: c ? current.colour(c) : NO_DATA, fillOpacity: 0.9, color: rec ? "#111" : "#ffffff",
      weight: rec ? 2.2 : 0.6, dashArray: rec ? "3 2" : null};
  }
  function legend(layer) {
    var ul = document.getElementById("legend");
    ul.innerHTML = "";
    document.getElementById("legend-title").textContent = T.layer[layer];
    current.items.forEach(function (it) {
      var li = document.createElement("li"), sw = document.createElement("span");
      sw.className = "swatch"; sw.style.background = it[0];
      li.appendChild(sw); li.appendChild(document.createTextNode(it[1])); ul.appendChild(li);
    });
    if (current.record) {
      var li = document.createElement("li"), sw = document.createElement("span");
      sw.className = "swatch record"; li.appendChild(sw); li.appendChild(document.createTextNode(T.record)); ul.appendChild(li);
    }
  }
  function info(c) {
    var box = document.getElementById("info");
    box.innerHTML = "";
    if (!c) { return; }
    var h = document.createElement("strong");
    h.textContent = ko ? (c.name_local || c.name) + " (" + c.name + ")" : c.name + (c.name_local ? " · " + c.name_local : "");
    box.appendChild(h);
    var rows = [[T.province, ko ? (c.province_local || c.province) : c.province + (c.province_local ? " · " + c.province_local : "")],
      [T.planned_year, c.planned_year ? c.planned_year + (c.record ? " (" + T.record + ")" : "") : T.not_planned],
      [T.status_label, c.readable ? (T.status[c.status] || T.no_data) : T.not_readable],
      [T.population, fmt(c.population)], [T.density, fmt(c.density)]];
    rows.forEach(function (r) { var d = document.createElement("div"); d.textContent = r[0] + ": " + r[1]; box.appendChild(d); });
  }
  function setLayer(layer) {
    current = scheme(layer);
    legend(layer);
    if (counties) { counties.setStyle(style); }
  }
  document.querySelectorAll("input[name=layer]").forEach(function (r) {
    r.addEventListener("change", function () { setLayer(r.value); });
  });
  setLayer(document.querySelector("input[name=layer]:checked").value);

  fetch("/map/shapes.geojson", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (doc) {
    var countyFeats = doc.features.filter(function (f) { return f.properties.kind === "county"; });
    var borderFeats = doc.features.filter(function (f) { return f.properties.kind === "province"; });
    counties = L.geoJSON({type: "FeatureCollection", features: countyFeats}, {
      style: style,
      pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 5}); },
      onEachFeature: function (f, lyr) {
        var c = byId[f.properties.id];
        lyr.on("mouseover", function () { lyr.setStyle({weight: 3, color: "#0b5cad"}); lyr.bringToFront(); info(c); });
        lyr.on("mouseout", function () { counties.resetStyle(lyr); });
        lyr.on("click", function () { window.location.href = "/county/" + encodeURIComponent(f.properties.id); });
        if (c) { lyr.bindTooltip(ko ? (c.name_local || c.name) : c.name, {sticky: true}); }
      }
    }).addTo(map);
    L.geoJSON({type: "FeatureCollection", features: borderFeats}, {interactive: false,
      style: {color: "#1f2328", weight: 1.6, fill: false}}).addTo(map);
    view.provinces.forEach(function (p) {
      if (p.lat == null) { return; }
      var span = document.createElement("span");
      span.textContent = ko ? (p.name_local || p.name) : p.name;
      L.marker([p.lat, p.lon], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "plabel", html: span, iconSize: null})}).addTo(map);
    });
    map.fitBounds(counties.getBounds(), {padding: [8, 8]});  // the paths exist from here on
    counties.eachLayer(function (lyr) {  // for tests and styling: which county a path draws
      var el = lyr.getElement && lyr.getElement();
      if (el) {
        el.setAttribute("data-county", lyr.feature.properties.id);
        el.setAttribute("tabindex", "-1");  // one tab stop for the map (arrow keys pan), not 180: the picker opens a county
      }
    });
    document.getElementById("map").setAttribute("data-ready", "1");
  });
})();
