/* Areas of actions and proposals: drawn on the edit forms, shown on their pages.
 *
 * [data-area-picker] (areas/widgets.py AreaDrawWidget): a GeoJSON textarea. A map above it
 * shows the wijken the area must lie in (json_script named by data-wijken-id) and the area
 * itself in an editable layer. Leaflet.draw's polygon tool draws a new area (it replaces the
 * old one: an item covers one area), the edit tool moves its corners and the delete tool
 * removes it; every change is written into the textarea at once, so that saving the form
 * keeps what is on the map. Typing or pasting GeoJSON in the textarea redraws the map. The
 * server checks the area either way, and says why when it refuses one.
 *
 * [data-area-map]: a small read-only map of one area (json_script named by data-area-id),
 * on the pages of actions and proposals. The text beside it says the same in words.
 *
 * Without JavaScript the maps stay hidden; the textarea works on its own.
 */
(function () {
  "use strict";

  var DECIMALS = 6;
  var AREA_STYLE = { color: "#b3005e", weight: 3, fillOpacity: 0.2 };
  var WIJKEN_STYLE = { color: "#00558c", weight: 2, fillOpacity: 0.05, interactive: false };

  function jsonOf(id) {
    var node = id ? document.getElementById(id) : null;
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function baseMap(element, root) {
    element.hidden = false;
    var center = JSON.parse(root.dataset.center || "[51.56, 5.07]");
    var maxZoom = parseInt(root.dataset.maxZoom || "18", 10);
    var map = L.map(element, {
      center: center, zoom: parseInt(root.dataset.zoom || "12", 10), maxZoom: maxZoom,
      scrollWheelZoom: false, keyboard: true
    });
    map.attributionControl.setPrefix("Leaflet");
    if (root.dataset.tilesUrl) {
      L.tileLayer(root.dataset.tilesUrl, { attribution: root.dataset.tilesAttribution || "", maxZoom: maxZoom }).addTo(map);
    }
    return map;
  }

  /* One Leaflet polygon per polygon of the GeoJSON, so that each can be edited. */
  function polygonsOf(geojson) {
    if (!geojson || typeof geojson !== "object") { return []; }
    if (geojson.type === "Feature") { return polygonsOf(geojson.geometry); }
    try {
      if (geojson.type === "Polygon") {
        return [L.polygon(L.GeoJSON.coordsToLatLngs(geojson.coordinates, 1), AREA_STYLE)];
      }
      if (geojson.type === "MultiPolygon") {
        return geojson.coordinates.map(function (polygon) {
          return L.polygon(L.GeoJSON.coordsToLatLngs(polygon, 1), AREA_STYLE);
        });
      }
    } catch (error) { /* not drawable: the server says why */ }
    return [];
  }

  function geometryOf(group) {
    var polygons = [];
    group.eachLayer(function (layer) {
      var geometry = layer.toGeoJSON(DECIMALS).geometry;
      if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
      if (geometry.type === "MultiPolygon") { polygons = polygons.concat(geometry.coordinates); }
    });
    if (polygons.length === 1) { return { type: "Polygon", coordinates: polygons[0] }; }
    if (polygons.length > 1) { return { type: "MultiPolygon", coordinates: polygons }; }
    return null;
  }

  function initPicker(root) {
    if (root.dataset.pickerReady || !window.L || !L.Control || !L.Control.Draw) { return; }
    var input = document.getElementById(root.dataset.inputId);
    var element = root.querySelector(".area-picker__map");
    if (!input || !element) { return; }
    root.dataset.pickerReady = "true";
    var help = root.querySelector(".area-picker__help");
    if (help) { help.hidden = false; }
    var map = baseMap(element, root);
    // For scripts (and browser tests) that need to move the map or find a point on it.
    element.leafletMap = map;
    var wijken = jsonOf(root.dataset.wijkenId);
    var outline = null;
    if (wijken && wijken.features && wijken.features.length) {
      outline = L.geoJSON(wijken, { style: WIJKEN_STYLE }).addTo(map);
    }
    var group = new L.FeatureGroup().addTo(map);

    function fit() {
      var bounds = group.getBounds();
      if (!bounds.isValid() && outline) { bounds = outline.getBounds(); }
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16, animate: false }); }
    }

    function read() {
      group.clearLayers();
      var text = input.value.trim();
      if (!text) { return; }
      var geojson;
      try { geojson = JSON.parse(text); } catch (error) { return; }
      polygonsOf(geojson).forEach(function (layer) { group.addLayer(layer); });
    }

    function write() {
      var geometry = geometryOf(group);
      input.value = geometry ? JSON.stringify(geometry) : "";
      root.dataset.areaState = geometry ? "drawn" : "empty";
    }

    window.wijkportaalDrawTexts(root);
    map.addControl(new L.Control.Draw({
      position: "topright",
      draw: {
        polygon: { allowIntersection: false, showArea: false, shapeOptions: AREA_STYLE },
        rectangle: false, marker: false, polyline: false, circle: false, circlemarker: false
      },
      edit: { featureGroup: group }
    }));

    map.on(L.Draw.Event.CREATED, function (event) {
      group.clearLayers();
      group.addLayer(event.layer);
      write();
    });
    // Write while editing too, so that saving the form without first pressing the
    // toolbar's own "Save" keeps what is on the map.
    [
      L.Draw.Event.EDITED, L.Draw.Event.DELETED, L.Draw.Event.EDITVERTEX,
      L.Draw.Event.EDITMOVE, L.Draw.Event.EDITSTOP, L.Draw.Event.DELETESTOP
    ].forEach(function (name) { map.on(name, write); });

    input.addEventListener("change", function () { read(); fit(); });
    read();
    fit();
  }

  function initAreaMap(element) {
    if (element.dataset.mapReady || !window.L) { return; }
    var geojson = jsonOf(element.dataset.areaId);
    var layers = polygonsOf(geojson);
    if (!layers.length) { return; }
    element.dataset.mapReady = "true";
    var map = baseMap(element, element);
    var group = L.featureGroup(layers).addTo(map);
    map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 16 });
  }

  function initAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-area-picker]").forEach(initPicker);
    scope.querySelectorAll("[data-area-map]").forEach(initAreaMap);
  }

  if (window.htmx && window.htmx.onLoad) {
    window.htmx.onLoad(function (content) { initAll(content); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
})();
