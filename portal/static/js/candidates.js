// Candidates: progressive enhancement only; every form works without this file.
// (The skills of the profile form become a combobox through combobox.js.)
// - Consent form: show the organisation list only when "selected organisations" is chosen.
(function () {
  "use strict";

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
    enhanceConsentScope();
  });
})();
