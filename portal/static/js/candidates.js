// Candidates: progressive enhancement only; every form works without this file.
// - Skill picker: a text box that filters the long <select multiple> of skills.
// - Consent form: show the organisation list only when "selected organisations" is chosen.
(function () {
  "use strict";

  function enhanceSkillPicker(container) {
    var select = container.querySelector("select[multiple]");
    if (!select) { return; }
    var label = document.createElement("label");
    var id = select.id + "-filter";
    label.setAttribute("for", id);
    label.className = "form-label";
    label.textContent = container.getAttribute("data-filter-label") || "Zoek in de lijst";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-input skill-picker__filter";
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected && option.text.toLowerCase().indexOf(needle) === -1;
      });
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
  }

  function enhanceConsentScope() {
    var scope = document.getElementById("scope");
    var organisations = document.querySelector("input[name=\"organisations\"]");
    if (!scope || !organisations) { return; }
    var fieldset = organisations.closest("fieldset");
    if (!fieldset) { return; }
    function update() { fieldset.hidden = scope.value !== "selected_organisations"; }
    scope.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-skill-picker]"), enhanceSkillPicker);
    enhanceConsentScope();
  });
})();
