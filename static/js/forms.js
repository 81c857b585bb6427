/* Forms that lose nothing: a live counter on long text fields, and no half-sent long form.
 *
 * Progressive enhancement only: without this file the server still counts, states the
 * limit in the help text and keeps the whole text in the box. No inline code, no inline
 * style (the site's Content-Security-Policy forbids both): data-* attributes and classes.
 *
 * data-counter="3000" on a text field: "1,234 of 3,000 characters" under it, updated as
 *   the member types; a polite live region tells screen readers after a pause.
 * data-long-form on a <form>: Enter in a one-line box (or a phone's Go key) does not send
 *   the form; only its buttons do.
 * After a failed submit the page comes back with its errors: the focus goes to their summary
 *   (or, on a form drawn without one, to the first field in error), so a screen reader reads
 *   it and Tab continues from there, not from the top of the page.
 */
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var number = new Intl.NumberFormat(lang);

  // Characters as Python counts them (code points), so the counter agrees with the server.
  function length(text) {
    return Array.from(text).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? number.format(values[key]) : whole;
    });
  }

  function counter(field) {
    var limit = parseInt(field.getAttribute("data-counter"), 10);
    if (!limit || field.hasAttribute("data-counter-ready")) {
      return;
    }
    field.setAttribute("data-counter-ready", "");
    var shown = document.createElement("div");
    shown.className = "form-text field-counter";
    shown.id = field.id + "-counter";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);
    var pause = null;

    function text() {
      var count = length(field.value);
      if (count > limit) {
        var over = count - limit;
        var words = field.getAttribute(over === 1 ? "data-counter-over-one" : "data-counter-over");
        return fill(words, { over: over });
      }
      return fill(field.getAttribute("data-counter-text"), { count: count, limit: limit });
    }

    function update(announce) {
      var words = text();
      shown.textContent = words;
      shown.classList.toggle("text-danger", length(field.value) > limit);
      shown.classList.toggle("fw-semibold", length(field.value) > limit);
      if (announce) {
        window.clearTimeout(pause);
        pause = window.setTimeout(function () {
          spoken.textContent = words;
        }, 1000);
      }
    }

    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  var SENDS_ON_ENTER = ["submit", "button", "image", "reset"];

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing || !(target instanceof HTMLInputElement)) {
      return;
    }
    if (SENDS_ON_ENTER.indexOf(target.type) !== -1) {
      return;
    }
    if (target.form && target.form.hasAttribute("data-long-form")) {
      event.preventDefault();
    }
  });

  // The first of these on the page, in this order: a summary of the errors (or a save that
  // met a newer version), then the alert crispy draws for a form's own errors, then a field.
  // Only sent (POST) forms: a search form showing a bad filter does not take the focus.
  var PROBLEMS = [
    "#edit-conflict, #error-summary, #form-errors, [data-error-summary]",
    "main form[method=post i] .alert-danger",
    "main form[method=post i] .is-invalid",
  ];

  function focusProblem() {
    for (var i = 0; i < PROBLEMS.length; i += 1) {
      var found = document.querySelector(PROBLEMS[i]);
      if (found) {
        if (!found.matches("input, select, textarea, button, a[href], [tabindex]")) {
          found.setAttribute("tabindex", "-1");
        }
        found.focus({ preventScroll: true });
        found.scrollIntoView({ block: "start" });
        return;
      }
    }
  }

  function start() {
    document.querySelectorAll("[data-counter]").forEach(counter);
    focusProblem();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
