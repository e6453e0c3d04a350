// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary after a failed form submit, so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
});
