/*
 * "Select all on this page" for a list of checkboxes, without inline script or style (the
 * site's Content-Security-Policy forbids both).
 *
 * A checkbox with data-select-all ticks or unticks every checkbox with data-select-item in
 * its form, and shows as partly ticked when only some are. Its wrapper (data-select-all-wrap)
 * is hidden until this script runs, so nobody without JavaScript meets a box that does nothing.
 */
(function () {
  "use strict";

  function setUp(all) {
    var form = all.form;
    if (!form) {
      return;
    }
    var items = function () {
      return Array.prototype.slice.call(form.querySelectorAll("input[data-select-item]"));
    };
    var sync = function () {
      var boxes = items();
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    all.addEventListener("change", function () {
      items().forEach(function (box) { box.checked = all.checked; });
      all.indeterminate = false;
    });
    form.addEventListener("change", function (event) {
      if (event.target !== all && event.target.hasAttribute("data-select-item")) {
        sync();
      }
    });
    var wrap = all.closest("[data-select-all-wrap]");
    if (wrap) {
      wrap.hidden = false;
    }
    sync();
  }

  function ready() {
    document.querySelectorAll("input[data-select-all]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
