// One content-language switch per translated form (templates/admin/procedures/
// translated_change_form.html): shows one language in every field and inline row at once,
// remembers the choice in this browser, and marks the fields whose translation needs work.
// Fields say their language in data-content-language (procedures/admin/languages.py).
(function () {
  "use strict";
  var KEY = "kb.admin.contentLanguage";

  function boxOf(widget) {
    return widget.closest(".fieldBox") || widget.closest("td") || widget.closest(".form-row");
  }

  // Tags each translated field's container (and a table's column header) with its language;
  // the stylesheet hides the containers of the languages not chosen.
  function tag(root) {
    root.querySelectorAll("[data-content-language]").forEach(function (widget) {
      var language = widget.getAttribute("data-content-language");
      var box = boxOf(widget);
      if (!box) return;
      box.classList.add("mt-in-" + language);
      if (box.tagName === "TD") {
        var table = box.closest("table");
        var name = widget.getAttribute("data-content-field");
        var header = table && table.querySelector("th.column-" + CSS.escape(name));
        if (header) header.classList.add("mt-in-" + language);
      }
    });
  }

  // Puts a mark (missing, stale, machine-converted) on each field that needs work; returns how
  // many fields need work per language.
  function mark(form, marks) {
    var counts = {};
    Object.keys(marks.fields || {}).forEach(function (name, index) {
      var widget = form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (!widget) return;
      var status = marks.fields[name];
      var language = widget.getAttribute("data-content-language");
      var box = boxOf(widget);
      if (!box || box.querySelector(".mt-mark")) return;
      var badge = document.createElement("span");
      badge.className = "mt-mark mt-mark-" + status;
      badge.id = "mt-mark-" + index;
      badge.textContent = (marks.labels || {})[status] || status;
      var label = box.querySelector("label");
      if (label && box.tagName !== "TD") {
        label.insertAdjacentElement("afterend", badge);
      } else {
        box.appendChild(badge);
      }
      var described = widget.getAttribute("aria-describedby");
      widget.setAttribute("aria-describedby", (described ? described + " " : "") + badge.id);
      box.classList.add("mt-needs-work");
      counts[language] = (counts[language] || 0) + 1;
    });
    return counts;
  }

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }

  function remember(language) {
    try { window.localStorage.setItem(KEY, language); } catch (error) { /* private mode */ }
  }

  function init() {
    var switcher = document.querySelector(".content-language");
    var form = switcher && switcher.closest("form");
    if (!form) return;
    var buttons = Array.prototype.slice.call(switcher.querySelectorAll("[data-language]"));
    var languages = buttons.map(function (button) { return button.getAttribute("data-language"); });

    function choose(language) {
      form.setAttribute("data-content-language", language);
      buttons.forEach(function (button) {
        var chosen = button.getAttribute("data-language") === language;
        button.setAttribute("aria-pressed", chosen ? "true" : "false");
      });
    }

    tag(form);
    var data = document.getElementById("content-marks");
    var counts = mark(form, data ? JSON.parse(data.textContent || "{}") : {});
    buttons.forEach(function (button) {
      var language = button.getAttribute("data-language");
      var count = button.querySelector(".content-language-count");
      if (count && counts[language]) {
        count.querySelector(".content-language-number").textContent = String(counts[language]);
        count.hidden = false;
      }
      if (form.querySelector(".mt-in-" + language + " .errorlist, .mt-in-" + language + ".errors")) {
        button.classList.add("has-errors");
      }
      button.addEventListener("click", function () {
        choose(language);
        remember(language);
      });
    });

    // A link may ask for a language (the translation dashboard's cells); otherwise the last
    // choice made in this browser, otherwise the first language (the source, Simplified).
    var asked = new URLSearchParams(window.location.search).get("language");
    var language = languages.indexOf(asked) >= 0 ? asked : stored();
    if (languages.indexOf(language) < 0) language = languages[0];
    // A refused save: show a language whose fields hold the errors, not one without any.
    var withErrors = buttons.filter(function (button) { return button.classList.contains("has-errors"); });
    if (withErrors.length && withErrors.every(function (b) { return b.getAttribute("data-language") !== language; })) {
      language = withErrors[0].getAttribute("data-language");
    }
    choose(language);
    if (languages.indexOf(asked) >= 0) remember(asked);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
