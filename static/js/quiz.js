// The questionnaire, one question per screen. Without JavaScript the same form
// shows every question at once. Answers are kept in sessionStorage, so a refresh
// or the browser's Back button never loses them; each screen is a history entry.
(function () {
  "use strict";
  var STORE = "role-guides-quiz";

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE)) || {}; }
    catch (e) { return {}; }
  }
  function save(state) {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("quiz-form");
    if (!form) return;
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset"));
    if (steps.length < 2) return;
    var hasErrors = !!document.getElementById("error-summary");
    var state = load();
    var answers = state.answers || {};

    // Restore answers the server did not already fill in (after a refresh).
    Object.keys(answers).forEach(function (name) {
      var checked = form.querySelector('input[name="' + CSS.escape(name) + '"]:checked');
      if (checked) return;
      var input = form.querySelector('input[name="' + CSS.escape(name) + '"][value="' + CSS.escape(answers[name]) + '"]');
      if (input) input.checked = true;
    });

    form.classList.add("is-stepped");
    var submit = form.querySelector('.quiz-submit button');
    var progress = document.createElement("div");
    progress.className = "quiz-progress";
    progress.innerHTML = '<p class="quiz-progress-text" aria-live="polite"></p><progress max="' + steps.length + '" value="1"></progress>';
    progress.querySelector("progress").setAttribute("aria-hidden", "true");
    form.insertBefore(progress, form.firstChild);
    var text = progress.querySelector(".quiz-progress-text");
    var bar = progress.querySelector("progress");

    var nav = document.createElement("div");
    nav.className = "quiz-nav";
    var back = document.createElement("button");
    back.type = "button"; back.className = "btn btn-outline-secondary"; back.textContent = "Back";
    var next = document.createElement("button");
    next.type = "button"; next.className = "btn btn-primary"; next.textContent = "Next";
    nav.appendChild(back); nav.appendChild(next);
    var submitRow = submit ? submit.parentNode : null;
    form.insertBefore(nav, submitRow);

    var current = 0;
    function firstUnanswered() {
      for (var i = 0; i < steps.length; i++) {
        if (!steps[i].querySelector("input:checked")) return i;
      }
      return steps.length - 1;
    }

    function show(index, focus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      text.textContent = "Question " + (current + 1) + " of " + steps.length;
      bar.value = current + 1;
      back.disabled = current === 0;
      var last = current === steps.length - 1;
      next.hidden = last;
      if (submitRow) submitRow.hidden = !last;
      state.step = current; save(state);
      if (focus) {
        var legend = steps[current].querySelector("legend");
        if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
      }
    }

    function go(index) {
      show(index, true);
      window.history.pushState({ quizStep: current }, "", "#question-" + (current + 1));
    }

    next.addEventListener("click", function () {
      if (!steps[current].querySelector("input:checked")) {
        var hint = steps[current].querySelector(".quiz-step-error");
        if (!hint) {
          hint = document.createElement("p");
          hint.className = "quiz-step-error text-danger";
          hint.setAttribute("role", "alert");
          hint.textContent = "Choose an answer to go on (or use Back).";
          steps[current].appendChild(hint);
        }
        return;
      }
      go(current + 1);
    });
    back.addEventListener("click", function () { go(current - 1); });

    form.addEventListener("change", function (event) {
      if (event.target && event.target.name) {
        answers[event.target.name] = event.target.value;
        state.answers = answers; save(state);
        var hint = steps[current].querySelector(".quiz-step-error");
        if (hint) hint.remove();
      }
    });

    window.addEventListener("popstate", function (event) {
      var step = event.state && typeof event.state.quizStep === "number" ? event.state.quizStep : 0;
      show(step, true);
    });

    var start = hasErrors ? firstUnanswered() : (typeof state.step === "number" ? state.step : 0);
    window.history.replaceState({ quizStep: start }, "", window.location.pathname + window.location.search + (start ? "#question-" + (start + 1) : ""));
    show(start, hasErrors);
  });
})();
