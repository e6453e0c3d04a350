// Repeating rows (other languages, work experience): the server always renders a few empty rows,
// so the form works without JavaScript. With this file only the filled rows and one empty row are
// shown, with a button that shows the next empty row; hidden rows stay in the form (empty).
//
//   <div data-extra-rows data-text-add="Nog een taal toevoegen"> ... <tr data-row> ... <select data-row-key> ...
// The button goes at the end of [data-rows-after] inside the container (or of the container itself).
// A row counts as empty when every [data-row-key] control in it is empty and it shows no error.
(function () {
  "use strict";

  function isEmpty(row) {
    if (row.querySelector(".form-error, [aria-invalid=true]")) { return false; }
    var keys = row.querySelectorAll("[data-row-key]");
    if (!keys.length) { return false; }
    return Array.prototype.every.call(keys, function (control) { return !control.value || !control.value.trim(); });
  }

  function enhance(container) {
    var rows = Array.prototype.slice.call(container.querySelectorAll("[data-row]"));
    var empty = rows.filter(isEmpty);
    if (empty.length < 2) { return; }
    var hidden = empty.slice(1);
    hidden.forEach(function (row) { row.hidden = true; });

    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--secondary-action button button--secondary form-rows__add";
    button.textContent = container.getAttribute("data-text-add") || "+";
    button.addEventListener("click", function () {
      var next = hidden.shift();
      if (!next) { return; }
      next.hidden = false;
      var first = next.querySelector("select, input:not([type=hidden])");
      if (first) { first.focus(); }
      if (!hidden.length) { button.hidden = true; }
    });
    (container.querySelector("[data-rows-after]") || container).appendChild(button);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-extra-rows]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
