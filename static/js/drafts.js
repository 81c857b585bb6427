/* Nothing typed is lost: a draft of each long form, kept in this browser while the member types.
 *
 * When the log-in ends (idle, expired, logged out in another tab) or the page's CSRF token
 * is stale, the form cannot be sent; the member logs in again (and comes back to the form's
 * page) or goes back from the explaining page, and the text is put back with a notice.
 * Progressive enhancement only: without this file (or without localStorage) the forms work
 * as before. No inline code or style (the Content-Security-Policy forbids both).
 *
 * What the server renders on <body> (core/drafts.py, core/templatetags/drafts.py):
 *   data-draft-owner        an opaque value per member; none when logged out: no drafts.
 *                           A draft is keyed by owner + the path the form POSTs to, so one
 *                           member's text never goes into another's form or another form.
 *   data-drafts-clear       JSON list of paths whose forms were saved: drop their drafts.
 *   data-drafts-clear-all   after a log-out: drop every draft this browser holds.
 *   data-drafts-keep-days   drafts older than this are dropped unseen.
 *   data-draft-restored, data-draft-discard, data-draft-discarded  the notice's words.
 *
 * Which forms: <form data-long-form>, except a form or field inside [data-no-draft] (the
 * confidential evaluation, the demographic questions: on a shared computer these must
 * never sit in the browser), and never passwords, hidden fields (the CSRF token, versions)
 * or files.
 *
 * On an edit-conflict page (#edit-conflict) the draft is dropped, never put back: the
 * server's merged form is newer than anything typed before the clash.
 *
 * Also: a [data-history-back] button (the CSRF failure page) goes back one page.
 */
(function () {
  "use strict";

  var PREFIX = "mentorship-draft:";
  var VERSION = 1;
  var DAY = 24 * 60 * 60 * 1000;
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button", "reset", "image"];
  var body = document.body;

  function historyBack() {
    document.querySelectorAll("[data-history-back]").forEach(function (button) {
      if (window.history.length < 2) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        window.history.back();
      });
    });
  }

  function openStore() {
    try {
      var store = window.localStorage;
      store.setItem(PREFIX + "probe", "1");
      store.removeItem(PREFIX + "probe");
      return store;
    } catch (error) {
      return null; // private mode, storage full or switched off: forms work without drafts
    }
  }

  function draftKeys(store) {
    var found = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        found.push(key);
      }
    }
    return found;
  }

  function read(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      if (draft && draft.v === VERSION && typeof draft.savedAt === "number" && draft.values) {
        return draft;
      }
    } catch (error) {
      // unreadable: dropped below
    }
    return null;
  }

  function tidy(store, owner) {
    if (body.hasAttribute("data-drafts-clear-all")) {
      draftKeys(store).forEach(function (key) {
        store.removeItem(key);
      });
      return;
    }
    var keepDays = parseInt(body.getAttribute("data-drafts-keep-days"), 10) || 14;
    var oldest = Date.now() - keepDays * DAY;
    draftKeys(store).forEach(function (key) {
      var draft = read(store, key);
      if (draft === null || draft.savedAt < oldest) {
        store.removeItem(key);
      }
    });
    var saved = [];
    try {
      saved = JSON.parse(body.getAttribute("data-drafts-clear") || "[]");
    } catch (error) {
      saved = [];
    }
    if (!owner) {
      return;
    }
    saved.forEach(function (path) {
      var start = PREFIX + owner + ":" + path + "#";
      draftKeys(store).forEach(function (key) {
        if (key.indexOf(start) === 0) {
          store.removeItem(key);
        }
      });
    });
  }

  function kept(field) {
    if (!field.name || field.disabled || SKIPPED_TYPES.indexOf(field.type) !== -1) {
      return false;
    }
    if (field.name === "csrfmiddlewaretoken" || field.name === "draft_kept") {
      return false;
    }
    return !field.closest("[data-no-draft]");
  }

  // A form's own properties (action, elements) are hidden by fields of that name (the
  // preparation has an "action" question): read them from the prototype and attributes.
  var formElements = Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, "elements").get;

  function fields(form) {
    return Array.prototype.filter.call(formElements.call(form), kept);
  }

  // {name: [values]}: one value per box of that name, or the ticked ones for choices.
  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (field) {
      var list = values[field.name] || (values[field.name] = []);
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) {
          list.push(field.value);
        }
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) {
          if (option.selected) {
            list.push(option.value);
          }
        });
      } else {
        list.push(field.value);
      }
    });
    return values;
  }

  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (name) {
      return JSON.stringify(a[name] || []) === JSON.stringify(b[name] || []);
    });
  }

  function apply(form, values) {
    var seen = {};
    fields(form).forEach(function (field) {
      if (!(field.name in values)) {
        return;
      }
      var list = values[field.name];
      var before = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = list.indexOf(field.value) !== -1;
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = list.indexOf(option.value) !== -1;
        });
      } else {
        var index = seen[field.name] || 0;
        seen[field.name] = index + 1;
        if (index < list.length) {
          field.value = list[index];
        }
      }
      var after = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (before !== after || field.type === "select-multiple") {
        // The live counter (forms.js) and anything else listening see the new text.
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  function when(time) {
    var lang = document.documentElement.lang || undefined;
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(
        new Date(time)
      );
    } catch (error) {
      return new Date(time).toLocaleString();
    }
  }

  function notice(form, draft, before, forget) {
    var box = document.createElement("div");
    box.className = "alert alert-warning d-flex flex-wrap align-items-center gap-2 draft-notice";
    box.setAttribute("role", "status");
    box.setAttribute("data-draft-notice", "");
    var text = document.createElement("p");
    text.className = "mb-0 me-auto";
    text.textContent = (body.getAttribute("data-draft-restored") || "").replace(
      "{date}",
      when(draft.savedAt)
    );
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-dark";
    discard.textContent = body.getAttribute("data-draft-discard") || "";
    discard.addEventListener("click", function () {
      forget();
      apply(form, before);
      text.textContent = body.getAttribute("data-draft-discarded") || "";
      discard.remove();
      box.className = "alert alert-info draft-notice";
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.insertAdjacentElement("beforebegin", box);
  }

  function keepDraftOf(store, owner, form, key) {
    var draft = read(store, key);
    var before = snapshot(form); // what the server's page shows
    if (draft !== null && document.getElementById("edit-conflict")) {
      // Someone saved this form since it was loaded (core/concurrency.py): the page holds
      // their newest values plus this member's own changes. The draft still has the stale
      // copy of the fields the other person changed; putting it back would undo them.
      store.removeItem(key);
      draft = null;
    }
    if (draft !== null && !same(draft.values, before)) {
      apply(form, draft.values);
      notice(form, draft, before, function () {
        store.removeItem(key);
        draft = null;
      });
    }
    var pause = null;

    function save() {
      window.clearTimeout(pause);
      pause = null;
      var values = snapshot(form);
      try {
        if (same(values, before)) {
          store.removeItem(key); // what the page showed: nothing to keep
          draft = null;
          return false;
        }
        draft = { v: VERSION, savedAt: Date.now(), values: values };
        store.setItem(key, JSON.stringify(draft));
        return true;
      } catch (error) {
        return false; // storage full: the form itself still holds the text
      }
    }

    function soon() {
      if (pause === null) {
        pause = window.setTimeout(save, 400);
      }
    }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("submit", function () {
      // Tells the server the text is kept here, so it only says so when it is true.
      if (save() && !form.querySelector("input[name='draft_kept']")) {
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "draft_kept";
        flag.value = "1";
        form.appendChild(flag);
      }
    });
    window.addEventListener("pagehide", function () {
      if (pause !== null) {
        save();
      }
    });
  }

  function start() {
    historyBack();
    var store = openStore();
    if (store === null) {
      return;
    }
    var owner = body.getAttribute("data-draft-owner") || "";
    tidy(store, owner);
    if (!owner) {
      return;
    }
    var counts = {};
    document.querySelectorAll("form[data-long-form]").forEach(function (form) {
      // The path the form POSTs to: the page's own for most forms, and the same on the
      // page shown again after log-in. The n-th such form on the page, for pages with two.
      var path = new URL(form.getAttribute("action") || "", window.location.href).pathname;
      counts[path] = (counts[path] || 0) + 1;
      var key = PREFIX + owner + ":" + path + "#" + counts[path];
      if (form.closest("[data-no-draft]")) {
        store.removeItem(key);
        return;
      }
      keepDraftOf(store, owner, form, key);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
