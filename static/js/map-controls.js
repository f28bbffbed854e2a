/* The controls on every map: a legend, a full-screen button and a "my location" button.
 *
 * Each is a Leaflet control made of real HTML (a list, buttons, a live region), added by
 * map.js through WijkportaalMap.controls. Texts come from the map's data-text-* attributes.
 */
(function () {
  "use strict";

  var Portal = window.WijkportaalMap = window.WijkportaalMap || {};
  Portal.controls = Portal.controls || [];
  // Below this map width the legend starts folded, so that it does not hide the map.
  var NARROW_MAP = 480;

  function element(tag, className, parent) {
    var node = L.DomUtil.create(tag, className || "", parent);
    return node;
  }

  /* A control's clicks and scrolls stay in the control: a click on the legend of a map
   * that goes to the wijk at the point clicked must not go anywhere. */
  function contain(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  function icon(path) {
    return '<svg class="map-control__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' + path + "</svg>";
  }

  /* ---- Legend: what the colours, lines and markers on this map mean. ---- */
  var Legend = L.Control.extend({
    options: { position: "bottomright" },

    initialize: function (context, options) {
      L.setOptions(this, options);
      this._context = context;
      this._keys = {};
    },

    onAdd: function (map) {
      var container = element("div", "map-legend leaflet-control");
      var details = element("details", "map-legend__details", container);
      details.open = map.getSize().x >= NARROW_MAP;
      var summary = element("summary", "map-legend__summary", details);
      summary.textContent = this._context.text("legend");
      this._list = element("ul", "map-legend__list", details);
      this._list.setAttribute("aria-label", this._context.text("legend"));
      var self = this;
      summary.addEventListener("click", function () { self._touched = true; });
      details.addEventListener("toggle", function () { if (details.open) { self._fit(); } });
      container.hidden = true;
      this._container = container;
      contain(container);
      return container;
    },

    /* entry: {key, label, order, swatch: {colour, fill, outline, dashed, thick, round,
     * marker}}; entries keep the order of their layers (`order`), whichever loads first. */
    add: function (entry) {
      if (!entry.label || this._keys[entry.key]) { return; }
      this._keys[entry.key] = true;
      var order = entry.order || 0;
      var item = L.DomUtil.create("li", "map-legend__item");
      item.dataset.order = String(order);
      var next = Array.prototype.find.call(this._list.children, function (li) { return Number(li.dataset.order) > order; });
      this._list.insertBefore(item, next || null);
      var swatch = element("span", "map-legend__swatch", item);
      swatch.setAttribute("aria-hidden", "true");
      var look = entry.swatch || {};
      if (look.marker) {
        swatch.className = "map-legend__swatch map-legend__swatch--marker";
        swatch.innerHTML = look.marker;
      } else {
        if (look.outline) { swatch.classList.add("map-legend__swatch--outline"); }
        if (look.dashed) { swatch.classList.add("map-legend__swatch--dashed"); }
        if (look.thick) { swatch.classList.add("map-legend__swatch--thick"); }
        if (look.round) { swatch.classList.add("map-legend__swatch--round"); }
        swatch.style.setProperty("--swatch", look.colour || "transparent");
        if (look.fill) { swatch.style.setProperty("--swatch-fill", look.fill); }
      }
      element("span", "map-legend__label", item).textContent = entry.label;
      this._container.hidden = false;
      this._fit();
    },

    /* A legend taller than half the map starts folded (until someone opens it), and a list
     * that has to scroll can be scrolled with the keyboard. */
    _fit: function () {
      var details = this._list.parentNode;
      var mapHeight = this._context.map.getSize().y;
      if (!this._touched && details.open && this._container.offsetHeight > mapHeight * 0.55) {
        details.open = false;
      }
      this._list.style.maxBlockSize = Math.max(mapHeight - 120, 80) + "px";
      if (this._list.scrollHeight > this._list.clientHeight + 1) {
        this._list.setAttribute("tabindex", "0");
      } else {
        this._list.removeAttribute("tabindex");
      }
    }
  });

  /* ---- Full screen: the Fullscreen API, or a CSS "expanded" map where it is missing. ---- */
  var Fullscreen = L.Control.extend({
    options: { position: "topleft" },

    initialize: function (context, options) {
      L.setOptions(this, options);
      this._context = context;
    },

    onAdd: function (map) {
      var container = element("div", "leaflet-bar map-control");
      var button = element("button", "map-control__button map-control__button--fullscreen", container);
      var label = this._context.text("fullscreen");
      button.type = "button";
      button.title = label;
      button.setAttribute("aria-pressed", "false");
      button.innerHTML = icon('<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" fill="none" stroke="currentColor" stroke-width="2.2"/>') +
        '<span class="visually-hidden"></span>';
      button.lastChild.textContent = label;
      this._button = button;
      this._map = map;
      contain(container);
      L.DomEvent.on(button, "click", this._toggle, this);
      this._onChange = this._sync.bind(this);
      document.addEventListener("fullscreenchange", this._onChange);
      this._onKey = this._escape.bind(this);
      document.addEventListener("keydown", this._onKey);
      return container;
    },

    onRemove: function () {
      document.removeEventListener("fullscreenchange", this._onChange);
      document.removeEventListener("keydown", this._onKey);
    },

    _target: function () { return this._context.element; },

    _isOn: function () {
      return document.fullscreenElement === this._target() || this._target().classList.contains("map--expanded");
    },

    _toggle: function () {
      var target = this._target();
      if (this._isOn()) { this._leave(); return; }
      if (target.requestFullscreen && document.fullscreenEnabled) {
        var self = this;
        target.requestFullscreen().catch(function () { self._expand(true); });
      } else {
        this._expand(true);
      }
    },

    _leave: function () {
      if (document.fullscreenElement === this._target()) {
        document.exitFullscreen();
      } else {
        this._expand(false);
      }
    },

    /* The fallback: the map covers the window; Escape or the button brings it back. */
    _expand: function (on) {
      this._target().classList.toggle("map--expanded", on);
      document.documentElement.classList.toggle("has-expanded-map", on);
      this._sync();
    },

    _escape: function (event) {
      if (event.key === "Escape" && this._target().classList.contains("map--expanded")) {
        this._expand(false);
        this._button.focus();
      }
    },

    _sync: function () {
      this._button.setAttribute("aria-pressed", this._isOn() ? "true" : "false");
      this._map.invalidateSize();
    }
  });

  /* ---- My location: go to the wijk there, or show the place on this map. ---- */
  var Locate = L.Control.extend({
    options: { position: "topleft" },

    initialize: function (context, options) {
      L.setOptions(this, options);
      this._context = context;
    },

    onAdd: function (map) {
      var context = this._context;
      var goesToWijk = Boolean(context.element.dataset.locateUrl);
      var container = element("div", "map-locate");
      var bar = element("div", "leaflet-bar map-control", container);
      var button = element("button", "map-control__button map-control__button--locate", bar);
      var label = context.text(goesToWijk ? "locate-wijk" : "locate-show");
      button.type = "button";
      button.title = label;
      button.innerHTML = icon('<circle cx="12" cy="12" r="4" fill="currentColor"/><path d="M12 2v4M12 18v4M2 12h4M18 12h4" stroke="currentColor" stroke-width="2.2"/><circle cx="12" cy="12" r="7.5" fill="none" stroke="currentColor" stroke-width="2"/>') +
        '<span class="visually-hidden"></span>';
      button.lastChild.textContent = label;
      this._status = element("p", "map-locate__status", container);
      this._status.setAttribute("role", "status");
      this._button = button;
      this._map = map;
      this._goesToWijk = goesToWijk;
      contain(container);
      L.DomEvent.on(button, "click", this._locate, this);
      return container;
    },

    _say: function (name) { this._status.textContent = name ? this._context.text(name) : ""; },

    _locate: function () {
      var self = this;
      this._button.disabled = true;
      this._say("locate-busy");
      navigator.geolocation.getCurrentPosition(
        function (position) { self._found(position.coords); },
        function (error) {
          self._button.disabled = false;
          self._say(error.code === 1 ? "locate-denied" : "locate-failed");
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    },

    _found: function (coords) {
      if (this._goesToWijk) {
        window.location.assign(this._context.element.dataset.locateUrl +
          "?lon=" + coords.longitude.toFixed(6) + "&lat=" + coords.latitude.toFixed(6));
        return;
      }
      var here = L.latLng(coords.latitude, coords.longitude);
      if (this._marker) { this._marker.remove(); }
      this._marker = L.circleMarker(here, {
        radius: 9, color: "#ffffff", weight: 3, fillColor: "#0b5cad", fillOpacity: 1, interactive: false
      }).addTo(this._map);
      this._marker.bindTooltip(Portal.escapeHtml(this._context.text("locate-here")), { permanent: true, direction: "top", offset: [0, -8] });
      this._context.viewChosen = true;
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      this._map.setView(here, Math.max(this._map.getZoom(), 15), { animate: !still });
      this._button.disabled = false;
      this._say("locate-found");
    }
  });

  Portal.controls.push(function (context) {
    var legend = new Legend(context);
    legend.addTo(context.map);
    context.legend = legend;
    new Fullscreen(context).addTo(context.map);
    if ("geolocation" in navigator) { new Locate(context).addTo(context.map); }
  });
})();
