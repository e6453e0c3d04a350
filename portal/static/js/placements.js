// Placement form: progressive enhancement only. Without this file the form works the same way:
// the Dutch level per skill is one select with the chosen level's description beside it, and
// "Niveaus voorstellen" asks the server for suggestions. (The skill lists become comboboxes
// through combobox.js; the other-language rows fold through form-rows.js.)
//
// Ticking work situations updates the Dutch level per skill live (the highest level any ticked
//    situation needs), except for skills the employer changed by hand: there the suggestion is
//    shown beside the choice instead of overwriting it.
(function () {
  "use strict";

  var LEVEL_CODES = [document.documentElement.lang === "en" ? "none" : "geen", "A1", "A2", "B1", "B2", "C1", "C2"];

  function enhanceLevelHelper(form) {
    var taskBox = form.querySelector("[data-task-levels]");
    if (!taskBox) { return; }
    var table;
    try { table = JSON.parse(taskBox.getAttribute("data-task-levels")); } catch (e) { return; }
    var announce = taskBox.querySelector("[data-suggestion-status]");
    var groups = {};
    form.querySelectorAll("[data-level-skill]").forEach(function (group) {
      groups[group.getAttribute("data-level-skill")] = group;
    });
    var changedByHand = {};

    function control(group) { return group.querySelector("select"); }
    function describe(group) {
      var select = control(group);
      var out = group.querySelector(".level-select__description");
      if (!select || !out) { return; }
      try { out.textContent = JSON.parse(select.getAttribute("data-level-descriptions"))[select.value] || ""; } catch (e) { /* keep */ }
    }
    Object.keys(groups).forEach(function (skill) {
      groups[skill].addEventListener("change", function () { describe(groups[skill]); });
    });

    // Setting .value from script fires no change event, so every change seen here is the employer's.
    Object.keys(groups).forEach(function (skill) {
      groups[skill].addEventListener("change", function () { changedByHand[skill] = true; });
    });

    function suggestion() {
      var levels = {};
      Object.keys(groups).forEach(function (skill) { levels[skill] = 0; });
      taskBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        var task = table[box.value] || {};
        Object.keys(task).forEach(function (skill) {
          if (skill in levels && task[skill] > levels[skill]) { levels[skill] = task[skill]; }
        });
      });
      return levels;
    }

    function apply() {
      var levels = suggestion();
      var said = [];
      Object.keys(groups).forEach(function (skill) {
        var group = groups[skill];
        var hint = group.querySelector("[data-suggestion]");
        var name = group.querySelector("label").textContent.trim();
        if (changedByHand[skill]) {
          var differs = Number(control(group).value) !== levels[skill];
          hint.hidden = !differs;
          hint.textContent = (document.documentElement.lang === "en" ? "Suggested from the situations: " : "Voorstel op grond van de situaties: ") + LEVEL_CODES[levels[skill]];
          return;
        }
        var select = control(group);
        if (select && Number(select.value) !== levels[skill]) {
          select.value = String(levels[skill]);
          describe(group);
          said.push(name + " " + LEVEL_CODES[levels[skill]]);
        }
        hint.hidden = true;
      });
      if (announce && said.length) {
        announce.textContent = (document.documentElement.lang === "en" ? "Levels suggested: " : "Niveaus voorgesteld: ") + said.join(", ");
      }
    }

    // A saved placement whose level differs from what its situations suggest was set by hand: keep it.
    var initial = suggestion();
    Object.keys(groups).forEach(function (skill) {
      var current = control(groups[skill]);
      if (current && Number(current.value) !== initial[skill]) { changedByHand[skill] = true; }
    });

    taskBox.addEventListener("change", function (event) {
      if (event.target && event.target.type === "checkbox") { apply(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("placement-form");
    if (form) { enhanceLevelHelper(form); }
  });
})();
