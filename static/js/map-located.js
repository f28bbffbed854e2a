/* The "located" layer: actions, proposals, meetings, werkplekken and initiatives in the part of the map
 * in view, and the list beside the map kept in step with it.
 *
 * The points come from kaart/locaties.geojson with ?bbox=&zoom= (and the filters of the
 * page's form, or the layer URL's own). After every move the points are loaded again (the
 * previous request is cancelled); single points are clustered in the browser
 * (Leaflet.markercluster), and when too many match, the server sends clusters instead, drawn
 * the same way: Enter or a click zooms in to them.
 *
 * With data-filter-form and data-sync-list, the list is loaded again through htmx for the
 * same filters and view, its heading (the count) is announced politely, and the address
 * bar keeps the filters, so that a reload shows the same.
 */
(function () {
  "use strict";

  var Portal = window.WijkportaalMap = window.WijkportaalMap || {};
  Portal.kinds = Portal.kinds || {};

  // The endpoint refuses a larger box; Tilburg is about 0.3° across.
  var MAX_SPAN = 1.0;
  var DEBOUNCE_MS = 250;
  var KINDS = ["actie", "voorstel", "bijeenkomst", "werkplek", "initiatief"];
  // One glyph per kind, on a shape of its own, so the kinds differ by more than colour.
  var GLYPHS = {
    actie: '<path d="M6 12.5l4 4 8-9" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>',
    voorstel: '<path d="M5 6h14v9h-8l-4 3.5V15H5z" fill="currentColor"/>',
    bijeenkomst: '<path d="M6 8h12v10H6z M6 11.5h12 M9 5.5v4 M15 5.5v4" fill="none" stroke="currentColor" stroke-width="2.2"/>',
    werkplek: '<path d="M5 12l7-6.5 7 6.5v7h-4.5v-4.5h-5V19H5z" fill="currentColor"/>',
    initiatief: '<path d="M12 4l2.4 5 5.4.6-4 3.7 1.1 5.4L12 16l-4.9 2.7 1.1-5.4-4-3.7 5.4-.6z" fill="currentColor"/>'
  };

  function markerHtml(kind) {
    return '<svg class="map-marker__glyph" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' + (GLYPHS[kind] || GLYPHS.actie) + "</svg>";
  }

  /* A divIcon whose element has a role and an accessible name: Leaflet makes markers
   * focusable, but gives a div neither. */
  var NamedIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var node = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      if (this.options.label) {
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", this.options.label);
      }
      return node;
    }
  });

  function markerIcon(kind, label) {
    return new NamedIcon({
      className: "map-marker map-marker--" + (GLYPHS[kind] ? kind : "actie"),
      html: markerHtml(kind),
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14],
      label: label
    });
  }

  function clusterIcon(context, count) {
    var size = count < 10 ? 34 : count < 100 ? 40 : 46;
    return new NamedIcon({
      className: "map-cluster",
      html: "<span>" + count + "</span>",
      iconSize: [size, size],
      label: context.text(count === 1 ? "cluster-one" : "cluster-other", count)
    });
  }

  /* `areaText` is said of an item that stands for a drawn area (its marker is the area's
   * label point; the area itself is on the item's page). */
  function popupHtml(p, areaText) {
    var esc = Portal.escapeHtml;
    var html = '<p class="map-popup__kind">' + esc(p.kind_label) + "</p>";
    html += '<p class="map-popup__title"><a href="' + esc(p.url) + '">' + esc(p.title) + "</a></p>";
    var meta = [p.status_label, p.wijk, p.area ? areaText : ""].filter(Boolean).map(esc).join(" · ");
    if (meta) { html += '<p class="map-popup__meta">' + meta + "</p>"; }
    return html;
  }

  function inward(value, up) {
    var scaled = value * 1e6;
    return (up ? Math.ceil(scaled) : Math.floor(scaled)) / 1e6;
  }

  /* The box in view, at most MAX_SPAN° wide and high around the centre of the view. */
  function clampedBbox(map) {
    var bounds = map.getBounds();
    var centre = map.getCenter();
    var half = MAX_SPAN / 2;
    var west = Math.max(bounds.getWest(), centre.lng - half, -180);
    var east = Math.min(bounds.getEast(), centre.lng + half, 180);
    var south = Math.max(bounds.getSouth(), centre.lat - half, -90);
    var north = Math.min(bounds.getNorth(), centre.lat + half, 90);
    return [inward(west, true), inward(south, true), inward(east, false), inward(north, false)].join(",");
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  function LocatedLayer(context, spec) {
    this.context = context;
    this.map = context.map;
    this.spec = spec;
    this.base = new URL(spec.url, window.location.href);
    this.form = context.element.dataset.filterForm ? document.getElementById(context.element.dataset.filterForm) : null;
    this.listId = context.element.dataset.syncList || "";
    this.markers = {};
    this.controller = null;
    this.lastUrl = "";
    this.preloaded = null;
    this.points = L.markerClusterGroup ? L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) { return clusterIcon(context, cluster.getChildCount()); }
    }) : L.featureGroup();
    this.clusters = L.featureGroup();
    this.points.addTo(this.map);
    this.clusters.addTo(this.map);
  }

  LocatedLayer.prototype.filterParams = function () {
    if (this.form) { return new URLSearchParams(new FormData(this.form)); }
    return new URLSearchParams(this.base.search);
  };

  LocatedLayer.prototype.pointsUrl = function () {
    var params = this.filterParams();
    params.delete("page");
    if (this.spec.bbox !== false) {
      params.set("bbox", clampedBbox(this.map));
      params.set("zoom", String(Math.round(this.map.getZoom())));
    }
    var url = new URL(this.base.href);
    url.search = params.toString();
    return url.href;
  };

  LocatedLayer.prototype.start = function () {
    var self = this;
    var onMove = debounce(function () { self.refresh(true); }, DEBOUNCE_MS);
    // Loading from the moment the view moves, not only once the pause has passed: whoever
    // waits for the points of the new view does not take the old ones for them.
    this.map.on("moveend", function () {
      self.context.element.setAttribute("data-located-loading", "true");
      onMove();
    });
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.lastUrl = "";
        self.refresh(true);
      });
    }
    return this.refresh(false);
  };

  /* With "fit": true, first everything that matches (no box), so that the map can be
   * fitted around it too: a wijk's items may lie just outside the wijk. */
  LocatedLayer.prototype.extent = function () {
    var self = this;
    var url = new URL(this.base.href);
    url.search = this.filterParams().toString();
    return fetch(url.href, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { return { features: [] }; }
        return response.json().then(function (data) {
          // Only an answer that came through is kept: a refused one is asked for again.
          if (data && Array.isArray(data.features)) { self.preloaded = data; }
          return data;
        });
      })
      .then(function (data) { return L.geoJSON(data).getBounds(); })
      .catch(function () { return L.latLngBounds([]); });
  };

  /* The items the extent brought, when they are what the first load for the view would
   * bring: every one of them a point (no server clusters) inside the view. Then the page
   * asks for them once, not twice. */
  LocatedLayer.prototype.takePreloaded = function () {
    var data = this.preloaded;
    this.preloaded = null;
    if (!data) { return null; }
    var bounds = this.map.getBounds();
    var covered = data.features.every(function (feature) {
      var coords = feature.geometry && feature.geometry.coordinates;
      return !(feature.properties || {}).cluster && coords && bounds.contains(L.latLng(coords[1], coords[0]));
    });
    return covered ? data : null;
  };

  LocatedLayer.prototype.show = function (data) {
    this.draw(data);
    this.context.element.removeAttribute("data-located-error");
    this.context.element.setAttribute("data-located-total", String(data.total == null ? "" : data.total));
    this.context.element.removeAttribute("data-located-loading");
  };

  /* Load the points for the view again; with `syncList`, the list beside the map too. */
  LocatedLayer.prototype.refresh = function (syncList) {
    var self = this;
    var url = this.pointsUrl();
    if (syncList) { this.syncList(); }
    if (url === this.lastUrl) {
      if (!this.controller) { this.context.element.removeAttribute("data-located-loading"); }
      return Promise.resolve();
    }
    this.lastUrl = url;
    var preloaded = this.takePreloaded();
    if (preloaded) {
      this.show(preloaded);
      return Promise.resolve();
    }
    if (this.controller) { this.controller.abort(); }
    var controller = this.controller = new AbortController();
    this.context.element.setAttribute("data-located-loading", "true");
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + url); }
        return response.json();
      })
      .then(function (data) {
        if (controller !== self.controller) { return; }
        self.controller = null;
        self.show(data);
      })
      .catch(function (error) {
        if (error.name === "AbortError") { return; }
        if (controller === self.controller) { self.controller = null; }
        self.lastUrl = "";
        self.context.element.removeAttribute("data-located-loading");
        self.context.element.setAttribute("data-located-error", error.message);
        self.context.announce(self.context.text("located-error"));
      });
  };

  /* Keep the markers that are still there (an open popup stays open), add the new ones and
   * take away the rest; server clusters are drawn anew each time. */
  LocatedLayer.prototype.draw = function (data) {
    var self = this;
    var features = data.features || [];
    var seen = {};
    var added = [];
    this.clusters.clearLayers();
    features.forEach(function (feature) {
      var p = feature.properties || {};
      var coords = feature.geometry && feature.geometry.coordinates;
      if (!coords) { return; }
      var latlng = L.latLng(coords[1], coords[0]);
      if (p.cluster) {
        self.clusters.addLayer(self.serverCluster(latlng, p));
        return;
      }
      var id = feature.id || (p.kind + "-" + p.url);
      seen[id] = true;
      if (!self.markers[id]) {
        self.markers[id] = self.pointMarker(latlng, p);
        added.push(self.markers[id]);
      }
    });
    var gone = [];
    Object.keys(this.markers).forEach(function (id) {
      if (!seen[id]) { gone.push(self.markers[id]); delete self.markers[id]; }
    });
    if (this.points.removeLayers) { this.points.removeLayers(gone); this.points.addLayers(added); } else {
      gone.forEach(function (marker) { self.points.removeLayer(marker); });
      added.forEach(function (marker) { self.points.addLayer(marker); });
    }
  };

  LocatedLayer.prototype.pointMarker = function (latlng, p) {
    var kind = p.kind_label || "";
    var label = kind.charAt(0).toUpperCase() + kind.slice(1) + ": " + (p.title || "");
    var marker = L.marker(latlng, { icon: markerIcon(p.kind, label), title: label, keyboard: true, riseOnHover: true });
    marker.bindPopup(popupHtml(p, this.context.text("about-area")));
    return marker;
  };

  LocatedLayer.prototype.serverCluster = function (latlng, p) {
    var map = this.map;
    var box = p.bbox || [];
    var marker = L.marker(latlng, { icon: clusterIcon(this.context, p.count), keyboard: true });
    var zoomIn = function () {
      if (box.length === 4) {
        map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [24, 24], maxZoom: 18 });
      } else {
        map.setView(latlng, map.getZoom() + 2);
      }
      map.getContainer().focus();
    };
    marker.on("click", zoomIn);
    marker.on("keypress", function (event) {
      if (event.originalEvent && event.originalEvent.keyCode === 13) { zoomIn(); }
    });
    return marker;
  };

  /* The list beside the map: the form's action, with the filters and the view, through
   * htmx (loaded on every page); the new heading (with the count) is announced. */
  LocatedLayer.prototype.syncList = function () {
    if (!this.form || !this.listId) { return; }
    var self = this;
    var params = this.filterParams();
    params.delete("page");
    params.set("bbox", clampedBbox(this.map));
    params.set("zoom", String(Math.round(this.map.getZoom())));
    var action = new URL(this.form.getAttribute("action") || window.location.pathname, window.location.href);
    action.search = params.toString();
    window.history.replaceState(window.history.state, "", action.pathname + action.search + window.location.hash);
    if (typeof htmx === "undefined") { return; }
    var target = "#" + this.listId;
    htmx.ajax("GET", action.href, { target: target, swap: "outerHTML", select: target }).then(function () {
      var list = document.getElementById(self.listId);
      var heading = list ? list.querySelector("h1, h2, h3, h4") : null;
      if (heading) { self.context.announce(heading.textContent.replace(/\s+/g, " ").trim()); }
    });
  };

  Portal.kinds.located = function (context, spec) {
    var layer = new LocatedLayer(context, spec);
    KINDS.forEach(function (kind) {
      context.legend.add({
        key: "kind-" + kind,
        label: context.text("kind-" + kind),
        order: spec.order,
        swatch: { marker: '<span class="map-marker map-marker--' + kind + '">' + markerHtml(kind) + "</span>" }
      });
    });
    context.legend.add({ key: "cluster", label: context.text("legend-cluster"), order: spec.order, swatch: { marker: '<span class="map-cluster"><span>3</span></span>' } });
    context.whenFitted.push(function () { return layer.start(); });
    context.located = layer;
    if (spec.fit !== true) { return Promise.resolve(layer); }
    return layer.extent().then(function (bounds) {
      if (bounds.isValid()) { context.bounds.extend(bounds); }
      return layer;
    });
  };
})();
