/* Maps of the portal: Leaflet on every element with [data-map].
 *
 * The map is an enhancement: every page shows the same information as a list, and the
 * page works without this script. Layers are GeoJSON URLs named in a json_script element
 * ({url, kind, fit}). A click on a map with data-locate-url goes to the wijk at that point.
 */
(function () {
  "use strict";

  var STYLES = {
    gebieden: function (feature) {
      return { color: "#1a1a1a", weight: 2, fillColor: feature.properties.colour || "#00558c", fillOpacity: 0.45 };
    },
    wijken: function (feature) {
      return { color: feature.properties.colour || "#00558c", weight: 1.5, fillOpacity: 0.15 };
    },
    buurten: function () {
      return { color: "#4d4d4d", weight: 1, dashArray: "4 3", fillOpacity: 0.05 };
    },
    outline: function () {
      return { color: "#00558c", weight: 3, fillOpacity: 0.08 };
    }
  };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popupFor(feature) {
    var p = feature.properties || {};
    var title = escapeHtml(p.name || p.title || "");
    var html = p.url ? '<a href="' + escapeHtml(p.url) + '">' + title + "</a>" : "<strong>" + title + "</strong>";
    if (p.summary) { html += "<br>" + escapeHtml(p.summary); }
    return html;
  }

  function addLayer(map, spec, bounds, navigatesOnClick) {
    return fetch(spec.url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + spec.url); }
        return response.json();
      })
      .then(function (data) {
        var style = STYLES[spec.kind] || STYLES.wijken;
        var layer = L.geoJSON(data, {
          style: style,
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 7, color: "#1a1a1a", weight: 1, fillColor: "#b3261e", fillOpacity: 0.9 });
          },
          onEachFeature: function (feature, featureLayer) {
            // A click on a map that goes to the wijk at the point would also open the
            // popup for a moment before the page changes: leave the popup out there.
            if (!navigatesOnClick) { featureLayer.bindPopup(popupFor(feature)); }
            if (feature.properties && feature.properties.name && featureLayer.bindTooltip && spec.kind !== "buurten") {
              featureLayer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
            }
          }
        }).addTo(map);
        layer.eachLayer(makeKeyboardFriendly);
        if (spec.fit !== false && layer.getBounds().isValid()) { bounds.extend(layer.getBounds()); }
        return layer;
      });
  }

  /* Leaflet puts every shape with a tooltip in the Tab order, where Enter does nothing.
   * A shape with a page of its own becomes a link (Enter opens the page); any other shape
   * leaves the Tab order: the list beside the map carries the same information. */
  function makeKeyboardFriendly(featureLayer) {
    var node = featureLayer.getElement ? featureLayer.getElement() : null;
    if (!node) { return; }
    var p = (featureLayer.feature && featureLayer.feature.properties) || {};
    if (!p.url) { node.setAttribute("tabindex", "-1"); return; }
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "link");
    node.setAttribute("aria-label", p.name || p.title || p.url);
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { window.location.assign(p.url); }
    });
  }

  function initMap(element) {
    var layersNode = document.getElementById(element.dataset.layersId);
    var layers = layersNode ? JSON.parse(layersNode.textContent) : [];
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true }).setView([51.56, 5.07], 12);
    map.attributionControl.setPrefix("Leaflet");
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        attribution: element.dataset.tilesAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    if (element.dataset.cbsAttribution) { map.attributionControl.addAttribution(escapeHtml(element.dataset.cbsAttribution)); }
    var bounds = L.latLngBounds([]);
    var navigatesOnClick = Boolean(element.dataset.locateUrl);
    Promise.all(layers.map(function (spec) { return addLayer(map, spec, bounds, navigatesOnClick); }))
      .then(function () { if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } })
      .catch(function (error) {
        element.setAttribute("data-map-error", error.message);
      });
    if (element.dataset.locateUrl) {
      map.on("click", function (event) {
        var url = element.dataset.locateUrl + "?lon=" + event.latlng.lng.toFixed(6) + "&lat=" + event.latlng.lat.toFixed(6);
        window.location.assign(url);
      });
    }
    element.setAttribute("data-map-ready", "true");
    return map;
  }

  function initAll() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(initMap);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); } else { initAll(); }
})();
