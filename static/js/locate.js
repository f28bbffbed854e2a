/* "Use my location": find the wijk at the visitor's position.
 *
 * The button ([data-locate-me], hidden in the HTML) is only shown when the browser can give
 * a position, so that without JavaScript nobody sees a button that does nothing. The
 * position goes to the locate URL as ?lon=&lat=; the server redirects to the wijk there.
 * The messages come translated from the template's data attributes.
 */
(function () {
  "use strict";

  function init(container) {
    if (!("geolocation" in navigator)) { return; }
    var button = container.querySelector("button");
    var status = container.querySelector("[data-locate-status]");
    container.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = container.dataset.messageBusy || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var url = container.dataset.locateUrl +
            "?lon=" + position.coords.longitude.toFixed(6) +
            "&lat=" + position.coords.latitude.toFixed(6);
          window.location.assign(url);
        },
        function (error) {
          button.disabled = false;
          status.textContent = error.code === 1
            ? container.dataset.messageDenied
            : container.dataset.messageFailed;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function initAll() { document.querySelectorAll("[data-locate-me]").forEach(init); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); } else { initAll(); }
})();
