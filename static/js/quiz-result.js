// Result page: a "Copy link" button (the read-only field beside it is the
// fallback without scripts), and "Take the questionnaire again" starts afresh.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-copy-link]");
    var status = document.querySelector("[data-copy-status]");
    if (button && navigator.clipboard) {
      var field = document.getElementById(button.getAttribute("data-copy-link"));
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(
          function () { status.textContent = "Link copied."; },
          function () { field.select(); status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link."; }
        );
      });
    }
    var restart = document.querySelector("[data-quiz-restart]");
    if (restart) {
      restart.addEventListener("click", function () {
        try {
          window.sessionStorage.removeItem("role-guides-quiz");
          window.sessionStorage.removeItem("role-guides-quiz-started");
        } catch (e) { /* storage blocked: nothing kept anyway */ }
      });
    }
  });
})();
