// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.body.classList.remove("no-js");
  document.body.classList.add("js");

  var wide = window.matchMedia ? window.matchMedia("(min-width: 48em)") : { matches: true, addEventListener: null };

  // The menu button on phones: shows and hides the menu (aria-expanded tells screen readers).
  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    button.hidden = false;
    function close() { button.setAttribute("aria-expanded", "false"); menu.classList.remove("site-menu--open"); }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("site-menu--open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") { close(); button.focus(); }
    });
  }

  // Tables become stacked rows on a phone: each cell is labelled with its column header.
  function labelTableCells() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.matches(".table--no-stack, .daypart-grid, .availability-table, .schedule-grid")) { return; }
      var headerRow = table.tHead && table.tHead.rows[0];
      if (!headerRow) { return; }
      var labels = Array.prototype.map.call(headerRow.cells, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (td) {
            if (!td.hasAttribute("data-label") && labels[col]) { td.setAttribute("data-label", labels[col]); }
            col += td.colSpan || 1;
          });
        });
      });
      table.classList.add("table--stack");
    });
  }

  // Filters fold away on a phone; on a wide screen they start open.
  function openFiltersWhenWide() {
    if (!wide.matches) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (d) { d.open = true; });
  }

  // Moves focus to the error summary after a failed form submit, so screen readers announce it.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    labelTableCells();
    openFiltersWhenWide();
    focusErrorSummary();
  });
})();
