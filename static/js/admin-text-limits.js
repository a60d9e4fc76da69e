// Admin: under each limited text field, how many characters are left. The
// limit itself is the model's (the help text says it; the browser enforces it).
(function () {
  "use strict";

  function attach(field) {
    if (field.dataset.limitReady) return;
    field.dataset.limitReady = "1";
    var limit = parseInt(field.dataset.limit, 10);
    var counter = document.createElement("div");
    counter.className = "text-limit";
    counter.setAttribute("aria-live", "polite");
    (field.closest(".markdown-editor") || field).insertAdjacentElement("afterend", counter);
    function update() {
      var left = limit - field.value.length;
      counter.textContent = left + " of " + limit + " characters left";
      counter.classList.toggle("text-limit-near", left < limit / 10);
    }
    field.addEventListener("input", update);
    update();
  }

  function scan() {
    document.querySelectorAll("[data-limit]").forEach(function (field) {
      if (field.closest(".empty-form")) return;
      attach(field);
    });
  }

  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("formset:added", scan);
})();
