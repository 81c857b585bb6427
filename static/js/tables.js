/* Tables that become cards on a phone: <table class="table table-stack">.
 *
 * Below 576 px (static/css/app.css, "Narrow screens") each row of a stacked table is a card
 * and each cell a line "Column: value". The column's name comes from the table's own header
 * cells: this script copies each <th>'s text into data-label on the cells below it, then
 * marks the table data-stacked, which is what the style sheet stacks. Without this script
 * the table stays a table, scrolling in its region. Roles keep the table a table for
 * screen readers once its rows are laid out as blocks. No inline code or style (the
 * Content-Security-Policy forbids both).
 */
(function () {
  "use strict";

  function stack(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || table.hasAttribute("data-stacked")) {
      return;
    }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) {
        labels.push(text);
      }
    });
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var header = row.parentNode === table.tHead;
        var rowHeader = cell.tagName === "TH" && cell.getAttribute("scope") === "row";
        cell.setAttribute(
          "role",
          header ? "columnheader" : rowHeader ? "rowheader" : "cell"
        );
        if (!header && labels[column]) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    table.setAttribute("data-stacked", "");
  }

  function stackAll() {
    Array.prototype.forEach.call(document.querySelectorAll("table.table-stack"), stack);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stackAll);
  } else {
    stackAll();
  }
})();
