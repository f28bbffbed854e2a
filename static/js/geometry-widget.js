/* Map widgets of the admin (areas/widgets.py), on Leaflet and Leaflet.draw.
 *
 * [data-geometry-widget]: a GeoJSON textarea. The map shows its geometry in an editable
 * feature group; the polygon and rectangle tools (the marker tool for points) draw, the edit
 * and delete tools change it, and every draw, edit or delete event writes the result back
 * into the textarea. Typing in the textarea redraws the map.
 *
 * [data-location-widget]: longitude and latitude number inputs. A click on the map or a
 * dragged marker writes both; typing in them moves the marker.
 *
 * Without JavaScript the maps stay hidden and the inputs work on their own.
 */
(function () {
  "use strict";

  var DECIMALS = 6;

  function round(value) {
    var factor = Math.pow(10, DECIMALS);
    return Math.round(value * factor) / factor;
  }

  function makeMap(root, mapElement) {
    mapElement.hidden = false;
    var help = root.querySelector(".help[hidden]");
    if (help) { help.hidden = false; }
    var center = JSON.parse(root.dataset.center || "[51.56, 5.07]");
    var maxZoom = parseInt(root.dataset.maxZoom || "18", 10);
    var map = L.map(mapElement, { center: center, zoom: parseInt(root.dataset.zoom || "12", 10), maxZoom: maxZoom });
    if (root.dataset.tilesUrl) {
      L.tileLayer(root.dataset.tilesUrl, { attribution: root.dataset.tilesAttribution || "", maxZoom: maxZoom }).addTo(map);
    }
    return map;
  }

  /* Leaflet layers for a GeoJSON object, one layer per polygon so that each can be edited. */
  function layersFor(geojson, layers) {
    if (!geojson || typeof geojson !== "object") { return layers; }
    switch (geojson.type) {
      case "FeatureCollection":
        (geojson.features || []).forEach(function (feature) { layersFor(feature, layers); });
        break;
      case "Feature":
        layersFor(geojson.geometry, layers);
        break;
      case "GeometryCollection":
        (geojson.geometries || []).forEach(function (geometry) { layersFor(geometry, layers); });
        break;
      case "Polygon":
        layers.push(L.polygon(L.GeoJSON.coordsToLatLngs(geojson.coordinates, 1)));
        break;
      case "MultiPolygon":
        geojson.coordinates.forEach(function (polygon) {
          layers.push(L.polygon(L.GeoJSON.coordsToLatLngs(polygon, 1)));
        });
        break;
      case "Point":
        layers.push(L.marker(L.GeoJSON.coordsToLatLng(geojson.coordinates)));
        break;
    }
    return layers;
  }

  /* The geometry the feature group holds: a Polygon, a MultiPolygon, a Point, or null. */
  function geometryOf(group, kind) {
    var polygons = [];
    var points = [];
    group.eachLayer(function (layer) {
      var geometry = layer.toGeoJSON(DECIMALS).geometry;
      if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
      if (geometry.type === "MultiPolygon") { polygons = polygons.concat(geometry.coordinates); }
      if (geometry.type === "Point") { points.push(geometry.coordinates); }
    });
    if (kind === "point") {
      return points.length ? { type: "Point", coordinates: points[points.length - 1] } : null;
    }
    if (polygons.length === 1) { return { type: "Polygon", coordinates: polygons[0] }; }
    if (polygons.length > 1) { return { type: "MultiPolygon", coordinates: polygons }; }
    return null;
  }

  function initGeometryWidget(root) {
    var input = document.getElementById(root.dataset.inputId);
    var mapElement = root.querySelector(".geometry-widget__map");
    if (!input || !mapElement || !window.L || !L.Control || !L.Control.Draw) { return; }
    var kind = root.dataset.geometryKind === "point" ? "point" : "area";
    var map = makeMap(root, mapElement);
    var group = new L.FeatureGroup().addTo(map);

    function fit() {
      var bounds = group.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 }); }
    }

    function read() {
      group.clearLayers();
      var text = input.value.trim();
      if (!text) { return; }
      var geojson;
      try { geojson = JSON.parse(text); } catch (error) { return; } // the server says why
      layersFor(geojson, []).forEach(function (layer) { group.addLayer(layer); });
    }

    function write() {
      var geometry = geometryOf(group, kind);
      input.value = geometry ? JSON.stringify(geometry) : "";
    }

    var draw = kind === "point"
      ? { marker: true, polygon: false, rectangle: false, polyline: false, circle: false, circlemarker: false }
      : {
        polygon: { allowIntersection: false, showArea: false },
        rectangle: { showArea: false },
        marker: false, polyline: false, circle: false, circlemarker: false
      };
    window.wijkportaalDrawTexts(root);
    map.addControl(new L.Control.Draw({ draw: draw, edit: { featureGroup: group } }));

    map.on(L.Draw.Event.CREATED, function (event) {
      if (kind === "point") { group.clearLayers(); }
      group.addLayer(event.layer);
      write();
    });
    // Write while editing too, so that saving the form without first pressing the
    // toolbar's own "Save" keeps what is on the map.
    [
      L.Draw.Event.EDITED, L.Draw.Event.DELETED, L.Draw.Event.EDITVERTEX,
      L.Draw.Event.EDITMOVE, L.Draw.Event.EDITRESIZE, L.Draw.Event.EDITSTOP,
      L.Draw.Event.DELETESTOP
    ].forEach(function (name) { map.on(name, write); });

    input.addEventListener("change", function () { read(); fit(); });
    read();
    fit();
  }

  function initLocationWidget(root) {
    var latitudeInput = document.getElementById(root.dataset.latitudeId);
    var longitudeInput = document.getElementById(root.dataset.longitudeId);
    var mapElement = root.querySelector(".location-widget__map");
    if (!latitudeInput || !longitudeInput || !mapElement || !window.L) { return; }
    var map = makeMap(root, mapElement);
    var marker = null;

    function place(latlng) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
    }

    function write(latlng) {
      longitudeInput.value = round(latlng.lng);
      latitudeInput.value = round(latlng.lat);
    }

    function read() {
      var lon = parseFloat(longitudeInput.value);
      var lat = parseFloat(latitudeInput.value);
      if (isFinite(lon) && isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90) {
        place([lat, lon]);
        map.setView([lat, lon], Math.max(map.getZoom(), 15));
      } else if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
    }

    map.on("click", function (event) {
      place(event.latlng);
      write(event.latlng);
    });
    longitudeInput.addEventListener("change", read);
    latitudeInput.addEventListener("change", read);
    read();
  }

  function init() {
    document.querySelectorAll("[data-geometry-widget]").forEach(initGeometryWidget);
    document.querySelectorAll("[data-location-widget]").forEach(initLocationWidget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
