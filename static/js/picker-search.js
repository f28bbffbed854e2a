/* Address search above the pickers of a point: an ARIA 1.2 combobox.
 *
 * [data-picker-search]: a text input (role=combobox) and a listbox. Typing asks the portal's
 * suggestion endpoint (data-suggest-url, ?q=) for addresses; arrow keys move through them
 * (aria-activedescendant), Enter or a click chooses one and Escape closes the list, or
 * clears the box when the list is closed. A chosen address is looked up at
 * data-point-url (?id=): its longitude and latitude go into the inputs named by
 * data-lon-input and data-lat-input, which fire "input" and "change" so that the map of the
 * picker moves its marker, and a "picker:located" event asks the map to pan there. The live
 * region below says in which wijk the address lies, or why the search failed.
 *
 * The box is hidden in the HTML: without JavaScript the number inputs are the way in.
 */
(function () {
  "use strict";

  var DECIMALS = 6;
  var DELAY_MS = 250;
  var MIN_LENGTH = 2;

  function round(value) {
    var factor = Math.pow(10, DECIMALS);
    return Math.round(value * factor) / factor;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key] !== undefined ? values[key] : match;
    });
  }

  function getJSON(url, signal) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: signal })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, data: data || {} };
        });
      });
  }

  function initSearch(root) {
    if (root.dataset.searchReady) { return; }
    var input = root.querySelector("[role=combobox]");
    var listbox = root.querySelector("[role=listbox]");
    var status = root.querySelector("[role=status]");
    var lonInput = document.getElementById(root.dataset.lonInput);
    var latInput = document.getElementById(root.dataset.latInput);
    if (!input || !listbox || !status || !lonInput || !latInput || !window.fetch) { return; }
    root.dataset.searchReady = "true";
    root.hidden = false;

    var texts = root.dataset;
    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = "";

    function say(text) { status.textContent = text; }

    function setActive(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("picker-search__option--active", i === index);
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      if (!options.length) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function show(suggestions) {
      listbox.textContent = "";
      options = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-option-" + i;
        option.className = "picker-search__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.id = suggestion.id;
        option.textContent = suggestion.label;
        // mousedown, not click: the input keeps focus, so the list does not close first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
        return option;
      });
      setActive(-1);
      if (options.length) {
        open();
        say(format(texts.textResults, { count: options.length }));
      } else {
        close();
        say(texts.textNoResults);
      }
    }

    function abort() {
      if (pending) { pending.abort(); pending = null; }
    }

    function suggest(query) {
      abort();
      pending = window.AbortController ? new AbortController() : null;
      var url = root.dataset.suggestUrl + "?" + new URLSearchParams({ q: query }).toString();
      getJSON(url, pending ? pending.signal : undefined).then(function (answer) {
        if (query !== lastQuery) { return; }
        if (!answer.ok) {
          show([]);
          say(answer.data.error || texts.textFailed);
          return;
        }
        show(answer.data.suggestions || []);
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        show([]);
        say(texts.textFailed);
      });
    }

    function choose(index) {
      var option = options[index];
      if (!option) { return; }
      input.value = option.textContent;
      lastQuery = input.value.trim();
      close();
      abort();
      var url = root.dataset.pointUrl + "?" + new URLSearchParams({ id: option.dataset.id }).toString();
      getJSON(url).then(function (answer) {
        var data = answer.data;
        if (!answer.ok || typeof data.lon !== "number" || typeof data.lat !== "number") {
          say(data.error || texts.textFailed);
          return;
        }
        lonInput.value = round(data.lon);
        latInput.value = round(data.lat);
        [lonInput, latInput].forEach(function (element) {
          element.dispatchEvent(new Event("input", { bubbles: true }));
          element.dispatchEvent(new Event("change", { bubbles: true }));
        });
        lonInput.dispatchEvent(new CustomEvent("picker:located", {
          bubbles: true, detail: { lon: data.lon, lat: data.lat }
        }));
        say(data.wijk ? format(texts.textInWijk, { name: data.wijk.name }) : texts.textNoWijk);
      }).catch(function () { say(texts.textFailed); });
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      lastQuery = query;
      window.clearTimeout(timer);
      if (query.length < MIN_LENGTH) {
        abort();
        listbox.textContent = "";
        options = [];
        close();
        return;
      }
      timer = window.setTimeout(function () { suggest(query); }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (listbox.hidden) { open(); }
          if (options.length) { setActive(active < options.length - 1 ? active + 1 : 0); }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (listbox.hidden) { open(); }
          if (options.length) { setActive(active > 0 ? active - 1 : options.length - 1); }
          break;
        case "Enter":
          // Never submit the whole form from the search box.
          event.preventDefault();
          if (!listbox.hidden && active >= 0) { choose(active); }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = "";
          }
          break;
      }
    });

    input.addEventListener("blur", function () { close(); });
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-picker-search]").forEach(initSearch);
  }

  if (window.htmx && window.htmx.onLoad) {
    window.htmx.onLoad(function (content) { initAll(content.querySelectorAll ? content : document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
})();
