/* Leaflet.draw's texts in the page's language, for every map that draws.
 *
 * The map's element carries them as JSON in data-draw-texts (areas/widgets.py). Leaflet.draw
 * reads L.drawLocal when it builds its toolbar, so a map calls wijkportaalDrawTexts(root)
 * just before it adds its L.Control.Draw (area-picker.js, geometry-widget.js). Load this after
 * leaflet.draw.js.
 */
(function () {
  "use strict";

  function merge(target, source) {
    Object.keys(source || {}).forEach(function (key) {
      if (source[key] && typeof source[key] === "object") {
        if (!target[key] || typeof target[key] !== "object") { target[key] = {}; }
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
  }

  window.wijkportaalDrawTexts = function (root) {
    var texts;
    try { texts = JSON.parse(root.dataset.drawTexts || "null"); } catch (error) { return; }
    merge(L.drawLocal, texts);
  };
})();
