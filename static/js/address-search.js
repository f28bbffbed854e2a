/* Suggestions while typing an address: the ARIA 1.2 combobox pattern with a listbox popup.
 *
 * The address field of templates/areas/_address_search.html ([data-address-search]) is a
 * plain search field that submits q; the server then lists the matching addresses as links.
 * This script makes it a combobox: after a short pause in typing it asks the suggest URL
 * (areas:address-suggest) and shows up to seven addresses under the field. The arrow keys
 * move through them (aria-activedescendant; the focus stays in the field), Enter goes to
 * the chosen address's wijk (areas:address-find?id=…), Escape closes the list, or clears
 * the field when the list is closed. A polite live region says how many addresses were
 * found. Without a chosen suggestion, Enter submits the form as without JavaScript.
 * The messages come translated from the form's data attributes.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MIN_LENGTH = 3;

  function init(form) {
    if (form.dataset.addressSearchReady || !("fetch" in window)) { return; }
    var input = form.querySelector("input[name='q']");
    var field = form.querySelector("[data-address-field]");
    if (!input || !field) { return; }
    form.dataset.addressSearchReady = "true";

    var listbox = document.createElement("ul");
    listbox.id = input.id + "-listbox";
    listbox.className = "address-search__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", form.dataset.labelSuggestions || "");
    listbox.hidden = true;
    var status = document.createElement("p");
    status.className = "address-search__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    field.appendChild(listbox);
    field.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    // The browser's own autofill list would cover the suggestions.
    input.setAttribute("autocomplete", "off");

    var suggestions = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function say(text) { status.textContent = text || ""; }

    function countMessage(count) {
      if (count === 0) { return form.dataset.messageNone; }
      if (count === 1) { return form.dataset.messageOne; }
      return (form.dataset.messageMany || "").replace("%(count)s", String(count));
    }

    function option(index) { return document.getElementById(listbox.id + "-" + index); }

    function setActive(index) {
      if (active >= 0 && option(active)) { option(active).setAttribute("aria-selected", "false"); }
      active = index;
      var current = option(index);
      if (!current) { input.removeAttribute("aria-activedescendant"); return; }
      current.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }

    function open() {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function choose(index) {
      var chosen = suggestions[index];
      if (!chosen) { return; }
      input.value = chosen.label;
      close();
      window.location.assign(form.dataset.findUrl + "?id=" + encodeURIComponent(chosen.id));
    }

    function show(found) {
      suggestions = found;
      close();
      listbox.textContent = "";
      found.forEach(function (suggestion, index) {
        var item = document.createElement("li");
        item.id = listbox.id + "-" + index;
        item.className = "address-search__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = suggestion.label;
        // Keep the focus in the field: a click must not blur it and close the list first.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(index); });
        listbox.appendChild(item);
      });
      if (found.length) { open(); }
      say(countMessage(found.length));
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (controller) { controller.abort(); }
      if (query.length < MIN_LENGTH) { suggestions = []; close(); say(""); return; }
      controller = "AbortController" in window ? new AbortController() : null;
      var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          // An answer for text that has changed since is no longer wanted.
          if (input.value.trim() !== query) { return; }
          show(Array.isArray(data.suggestions) ? data.suggestions : []);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") { return; }
          suggestions = [];
          close();
          say(form.dataset.messageFailed);
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = suggestions.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) { return; }
          event.preventDefault();
          if (listbox.hidden) { open(); setActive(0); } else { setActive((active + 1) % count); }
          break;
        case "ArrowUp":
          if (!count) { return; }
          event.preventDefault();
          if (listbox.hidden) { open(); setActive(count - 1); } else { setActive(active <= 0 ? count - 1 : active - 1); }
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) { event.preventDefault(); choose(active); }
          break;
        case "Escape":
          event.preventDefault();
          if (!listbox.hidden) { close(); } else { input.value = ""; suggestions = []; say(""); }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);
  }

  function initAll() { document.querySelectorAll("[data-address-search]").forEach(init); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); } else { initAll(); }
})();
