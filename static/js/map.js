/* Maps of the portal: Leaflet on every element with [data-map].
 *
 * The map is an enhancement: every page shows the same information as a list, and the
 * page works without this script. Layers are named in a json_script element
 * ({url or data, kind, fit, legend}); each kind has a loader in KINDS below, or one that
 * map-located.js adds. The controls (legend, full screen, my location) come from
 * map-controls.js. Every text shown comes translated from the element's data-text-*
 * attributes (templates/includes/map.html). This file loads last and starts the maps.
 */
(function () {
  "use strict";

  var Portal = window.WijkportaalMap = window.WijkportaalMap || {};
  Portal.kinds = Portal.kinds || {};
  Portal.controls = Portal.controls || [];

  var BOUNDARY_COLOUR = "#00558c";
  // Room for the controls: the buttons on the left, the legend and sources bottom right;
  // what the map is fitted to (and the markers in it) stays clear of them.
  var FIT_PADDING = { paddingTopLeft: [72, 24], paddingBottomRight: [24, 72], animate: false };
  var STYLES = {
    gebieden: function (feature) {
      return { color: "#1a1a1a", weight: 2, fillColor: feature.properties.colour || BOUNDARY_COLOUR, fillOpacity: 0.45 };
    },
    wijken: function (feature) {
      return { color: feature.properties.colour || BOUNDARY_COLOUR, weight: 1.5, fillOpacity: 0.15 };
    },
    buurten: function () {
      return { color: "#4d4d4d", weight: 1, dashArray: "4 3", fillOpacity: 0.05 };
    },
    highlight: function () {
      return { color: "#1a1a1a", weight: 5, dashArray: null, fillColor: "#ffd21f", fillOpacity: 0.35 };
    },
    outline: function () {
      return { color: BOUNDARY_COLOUR, weight: 3, fillOpacity: 0.08 };
    },
    area: function () {
      return { color: "#a33b00", weight: 3, fillColor: "#a33b00", fillOpacity: 0.2 };
    },
    figures: function (feature) {
      var p = feature.properties || {};
      var unknown = p["class"] == null;
      return {
        color: "#1a1a1a", weight: unknown ? 1.5 : 1, dashArray: unknown ? "4 3" : null,
        fillColor: p.colour || "#ffffff", fillOpacity: unknown ? 0.6 : 0.85
      };
    }
  };
  // How each kind looks in the legend: a filled swatch or an outline, and its style.
  var LEGEND_SWATCHES = {
    wijken: { outline: true, colour: BOUNDARY_COLOUR },
    buurten: { outline: true, dashed: true, colour: "#4d4d4d" },
    outline: { outline: true, thick: true, colour: BOUNDARY_COLOUR },
    area: { colour: "#a33b00" },
    points: { colour: "#b3261e", round: true }
  };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  Portal.escapeHtml = escapeHtml;

  /* A translated text from the map's data-text-<name> attribute; "%(count)s" is filled in. */
  function textOf(element, name, count) {
    var key = "text" + name.replace(/(^|-)([a-z])/g, function (_, dash, letter) { return letter.toUpperCase(); });
    var text = element.dataset[key] || "";
    if (count != null) { text = text.replace("%(count)s", String(count)); }
    return text;
  }

  function popupFor(feature) {
    var p = feature.properties || {};
    var title = escapeHtml(p.name || p.title || "");
    var html = p.url ? '<a href="' + escapeHtml(p.url) + '">' + title + "</a>" : "<strong>" + title + "</strong>";
    if (p.value_label) { html += "<br>" + escapeHtml(p.value_label); }
    if (p.summary) { html += "<br>" + escapeHtml(p.summary); }
    return html;
  }

  function nameOf(feature) {
    var p = feature.properties || {};
    var name = p.name || p.title || "";
    return p.value_label ? name + ": " + p.value_label : name;
  }

  /* Leaflet puts every shape with a tooltip in the Tab order, where Enter does nothing.
   * A shape with a page of its own becomes a link (Enter opens the page); any other shape
   * leaves the Tab order: the list beside the map carries the same information. On a map
   * with markers (`asLink` false) the markers are what Tab goes to, and the shapes stay out:
   * dozens of wijken before the first marker would make the markers hard to reach. */
  function makeKeyboardFriendly(featureLayer, asLink) {
    var node = featureLayer.getElement ? featureLayer.getElement() : null;
    if (!node) { return; }
    var feature = featureLayer.feature || {};
    var p = feature.properties || {};
    if (!p.url || !asLink) { node.setAttribute("tabindex", "-1"); return; }
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "link");
    node.setAttribute("aria-label", nameOf(feature) || p.url);
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { window.location.assign(p.url); }
    });
  }

  function loadGeoJSON(spec) {
    if (spec.data) { return Promise.resolve(spec.data); }
    return fetch(spec.url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + spec.url); }
        return response.json();
      });
  }

  function styleFor(context, spec) {
    var style = STYLES[spec.kind] || STYLES.wijken;
    if (spec.kind !== "buurten" || !context.highlightBuurt) { return style; }
    return function (feature) {
      return feature.properties && feature.properties.code === context.highlightBuurt
        ? STYLES.highlight(feature) : style(feature);
    };
  }

  /* Boundaries, areas, choropleths and plain points: one GeoJSON request, drawn once. */
  function addShapes(context, spec) {
    var map = context.map;
    return loadGeoJSON(spec).then(function (data) {
      var layer = L.geoJSON(data, {
        style: styleFor(context, spec),
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#1a1a1a", weight: 1, fillColor: "#b3261e", fillOpacity: 0.9 });
        },
        onEachFeature: function (feature, featureLayer) {
          // A click on a map that goes to the wijk at the point would also open the
          // popup for a moment before the page changes: leave the popup out there.
          if (!context.navigatesOnClick) { featureLayer.bindPopup(popupFor(feature)); }
          if (nameOf(feature) && featureLayer.bindTooltip && spec.kind !== "buurten") {
            featureLayer.bindTooltip(escapeHtml(nameOf(feature)), { sticky: true });
          }
        }
      }).addTo(map);
      layer.eachLayer(function (featureLayer) { makeKeyboardFriendly(featureLayer, !context.hasMarkers); });
      if (spec.kind === "buurten" && context.highlightBuurt) {
        layer.eachLayer(function (featureLayer) {
          if (featureLayer.feature.properties.code === context.highlightBuurt && featureLayer.bringToFront) {
            featureLayer.bringToFront();
            context.legend.add({ key: "highlight", label: context.text("legend-highlight"), order: spec.order + 0.5, swatch: { outline: true, thick: true, colour: "#1a1a1a", fill: "#ffd21f" } });
          }
        });
      }
      addLegendFor(context, spec, data);
      if (spec.fit !== false && layer.getBounds().isValid()) { context.bounds.extend(layer.getBounds()); }
      return layer;
    });
  }

  function addLegendFor(context, spec, data) {
    var legend = context.legend;
    if (spec.kind === "gebieden") {
      (data.features || []).forEach(function (feature) {
        var p = feature.properties || {};
        legend.add({ key: "gebied-" + (feature.id || p.name), label: p.name, order: spec.order, swatch: { colour: p.colour || BOUNDARY_COLOUR } });
      });
    } else if (spec.kind === "figures") {
      (spec.legend || []).forEach(function (entry, index) {
        legend.add({ key: "class-" + index, label: entry.label, order: spec.order, swatch: { colour: entry.colour, dashed: Boolean(entry.unknown), outline: Boolean(entry.unknown) } });
      });
    } else if (LEGEND_SWATCHES[spec.kind]) {
      var label = typeof spec.legend === "string" ? spec.legend : context.text("legend-" + spec.kind);
      if (label) { legend.add({ key: spec.kind + "-" + label, label: label, order: spec.order, swatch: LEGEND_SWATCHES[spec.kind] }); }
    }
  }

  ["gebieden", "wijken", "buurten", "outline", "points", "figures", "area"].forEach(function (kind) {
    Portal.kinds[kind] = Portal.kinds[kind] || addShapes;
  });

  /* The legend stands in for a control until map-controls.js provides the real one. */
  var NO_LEGEND = { add: function () {} };

  /* The view the page was reloaded with (?bbox= kept by the list sync), if any. */
  function boundsFromUrl(element) {
    if (!element.dataset.filterForm) { return null; }
    var bbox = new URLSearchParams(window.location.search).get("bbox");
    var parts = bbox ? bbox.split(",").map(Number) : [];
    if (parts.length !== 4 || parts.some(isNaN)) { return null; }
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
  }

  function initMap(element) {
    var layersNode = document.getElementById(element.dataset.layersId);
    var layers = layersNode ? JSON.parse(layersNode.textContent) : [];
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true, zoomControl: false, maxZoom: 19 }).setView([51.56, 5.07], 12);
    var text = function (name, count) { return textOf(element, name, count); };
    L.control.zoom({ zoomInTitle: text("zoom-in"), zoomOutTitle: text("zoom-out") }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        attribution: element.dataset.tilesAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    if (element.dataset.cbsAttribution) { map.attributionControl.addAttribution(escapeHtml(element.dataset.cbsAttribution)); }
    var status = element.parentNode.querySelector("[data-map-status]");
    var context = {
      element: element,
      map: map,
      text: text,
      bounds: L.latLngBounds([]),
      legend: NO_LEGEND,
      navigatesOnClick: Boolean(element.dataset.locateUrl),
      highlightBuurt: element.dataset.highlightBuurt || "",
      /* Say something politely to screen readers (the status region under the map). */
      announce: function (message) { if (status) { status.textContent = message; } },
      whenFitted: [],
      hasMarkers: layers.some(function (spec) { return spec.kind === "located"; }),
      viewChosen: false
    };
    element._leafletMap = map;
    Portal.controls.forEach(function (addControl) { addControl(context); });
    // The controls come first in the Tab order, before the shapes and markers (their place
    // on the screen is set by CSS, not by their order in the page).
    element.insertBefore(map._controlContainer, element.firstChild);
    map.on("popupopen", function (event) { fixPopup(context, event.popup); });

    var loads = layers.map(function (spec, index) {
      var load = Portal.kinds[spec.kind] || addShapes;
      spec.order = index + 1;
      return load(context, spec);
    });
    Promise.all(loads)
      .then(function () {
        var kept = boundsFromUrl(element);
        if (context.viewChosen) {
          // Someone chose the view (my location) while the layers were loading: keep it.
        } else if (kept) {
          map.fitBounds(kept, { animate: false });
        } else if (context.bounds.isValid()) {
          map.fitBounds(context.bounds, FIT_PADDING);
        }
      })
      .catch(function (error) {
        element.setAttribute("data-map-error", error.message);
      })
      .then(function () {
        // Layers that follow the view (the located points) start once it is settled.
        element.setAttribute("data-map-fitted", "true");
        return Promise.all(context.whenFitted.map(function (start) { return start(); }));
      })
      .then(function () { element.setAttribute("data-map-settled", "true"); });
    if (element.dataset.locateUrl) {
      map.on("click", function (event) {
        var url = element.dataset.locateUrl + "?lon=" + event.latlng.lng.toFixed(6) + "&lat=" + event.latlng.lat.toFixed(6);
        window.location.assign(url);
      });
    }
    element.setAttribute("data-map-ready", "true");
    return map;
  }

  /* Leaflet labels the close button of a popup in English; a popup opened with the
   * keyboard takes the focus to its link, and gives it back to its marker when it closes. */
  function fixPopup(context, popup) {
    var node = popup.getElement();
    if (!node) { return; }
    var close = node.querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", context.text("close")); close.setAttribute("title", context.text("close")); }
    if (!node.dataset.escapeCloses) {
      // Leaflet closes a popup with Escape only while the map itself has the focus.
      node.dataset.escapeCloses = "true";
      node.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { context.map.closePopup(); }
      });
    }
    var source = popup._source && popup._source.getElement ? popup._source.getElement() : null;
    if (source && document.activeElement === source) {
      var link = node.querySelector(".leaflet-popup-content a");
      if (link) { link.focus(); }
      popup.once("remove", function () {
        if (!document.activeElement || document.activeElement === document.body || node.contains(document.activeElement)) {
          if (document.body.contains(source)) { source.focus(); }
        }
      });
    }
  }

  function initAll() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(initMap);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); } else { initAll(); }
})();
