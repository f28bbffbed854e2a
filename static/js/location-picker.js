/* Pick a point on a map for the longitude and latitude inputs of a form.
 *
 * [data-location-picker]: a hidden map element beside two number inputs (their ids in
 * data-lon-input and data-lat-input) and a json_script element with the boundaries the
 * point must lie in (data-wijken-id). A click on the map or a dragged marker writes both
 * inputs; typing in them moves the marker, and an address chosen in the search box above
 * (picker-search.js) pans the map to it. Without JavaScript the map stays hidden and the
 * inputs work on their own; the server checks the point either way. Forms swapped in by
 * htmx get their map through htmx.onLoad.
 */
(function () {
  "use strict";

  var DECIMALS = 6;

  function round(value) {
    var factor = Math.pow(10, DECIMALS);
    return Math.round(value * factor) / factor;
  }

  function initPicker(element) {
    if (element.dataset.pickerReady || typeof L === "undefined") { return; }
    var lonInput = document.getElementById(element.dataset.lonInput);
    var latInput = document.getElementById(element.dataset.latInput);
    if (!lonInput || !latInput) { return; }
    element.dataset.pickerReady = "true";
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true }).setView([51.56, 5.07], 12);
    map.attributionControl.setPrefix("Leaflet");
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, { attribution: element.dataset.tilesAttribution || "", maxZoom: 19 }).addTo(map);
    }
    var node = document.getElementById(element.dataset.wijkenId);
    var wijken = node ? JSON.parse(node.textContent) : null;
    if (wijken && wijken.features && wijken.features.length) {
      var outline = L.geoJSON(wijken, { style: { color: "#00558c", weight: 2, fillOpacity: 0.08 } }).addTo(map);
      if (outline.getBounds().isValid()) { map.fitBounds(outline.getBounds(), { padding: [12, 12] }); }
    }
    var marker = null;

    function place(lat, lon) {
      if (marker) { marker.setLatLng([lat, lon]); return; }
      marker = L.marker([lat, lon], { draggable: true, keyboard: true }).addTo(map);
      marker.on("dragend", function () { write(marker.getLatLng()); });
    }

    function write(latlng) {
      lonInput.value = round(latlng.lng);
      latInput.value = round(latlng.lat);
      lonInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function readInputs() {
      var lon = parseFloat(lonInput.value);
      var lat = parseFloat(latInput.value);
      if (isFinite(lon) && isFinite(lat)) { place(lat, lon); }
    }

    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng);
      write(event.latlng);
    });
    lonInput.addEventListener("input", readInputs);
    latInput.addEventListener("input", readInputs);
    // An address chosen in the search box (picker-search.js): show where it is.
    lonInput.addEventListener("picker:located", function (event) {
      place(event.detail.lat, event.detail.lon);
      map.setView([event.detail.lat, event.detail.lon], Math.max(map.getZoom(), 16));
    });
    readInputs();
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-location-picker]").forEach(initPicker);
  }

  if (window.htmx && window.htmx.onLoad) {
    window.htmx.onLoad(function (content) { initAll(content.querySelectorAll ? content : document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
})();
