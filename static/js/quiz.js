// The questionnaire, one question per screen. Without JavaScript the same form
// shows every question at once. Answers are kept in sessionStorage, so a refresh
// or the browser's Back button never loses them; each screen is a history entry.
// quiz-early.js has already added the "js" class, so the stylesheet shows one
// question from the first paint (no layout shift).
(function () {
  "use strict";
  var STORE = "role-guides-quiz";
  var STARTED = "role-guides-quiz-started";

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE)) || {}; }
    catch (e) { return {}; }
  }
  function save(state) {
    try {
      window.sessionStorage.setItem(STORE, JSON.stringify(state));
      window.sessionStorage.setItem(STARTED, state.started ? "1" : "0");
    } catch (e) { /* private mode */ }
  }
  function clear() {
    try {
      window.sessionStorage.removeItem(STORE);
      window.sessionStorage.removeItem(STARTED);
    } catch (e) { /* private mode */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("quiz-form");
    if (!form) return;
    var root = document.documentElement;
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.quiz-question"));
    if (steps.length < 2) return;
    var summary = document.getElementById("error-summary");
    var intro = document.querySelector(".quiz-intro");
    var startButton = document.querySelector("[data-quiz-start]");
    var state = load();
    var answers = state.answers || {};

    // Restore answers the server did not already fill in (after a refresh).
    Object.keys(answers).forEach(function (name) {
      if (form.querySelector('input[name="' + CSS.escape(name) + '"]:checked')) return;
      var input = form.querySelector('input[name="' + CSS.escape(name) + '"][value="' + CSS.escape(answers[name]) + '"]');
      if (input) input.checked = true;
    });

    form.classList.add("is-stepped");
    var submitRow = form.querySelector(".quiz-submit");
    var progress = document.createElement("div");
    progress.className = "quiz-progress";
    var text = document.createElement("p");
    text.className = "quiz-progress-text";
    text.setAttribute("aria-live", "polite");
    var bar = document.createElement("progress");
    bar.max = steps.length; bar.value = 1;
    bar.setAttribute("aria-hidden", "true");
    progress.appendChild(text); progress.appendChild(bar);
    form.insertBefore(progress, steps[0]);

    var nav = document.createElement("div");
    nav.className = "quiz-nav";
    function button(label, cls) {
      var b = document.createElement("button");
      b.type = "button"; b.className = cls; b.textContent = label;
      return b;
    }
    var back = button("Back", "btn btn-outline-secondary quiz-back");
    var next = button("Next", "btn btn-primary quiz-next");
    var over = button("Start over", "btn btn-link quiz-over");
    nav.appendChild(back); nav.appendChild(next); nav.appendChild(over);
    form.insertBefore(nav, submitRow);
    if (submitRow) submitRow.querySelector("button").classList.add("quiz-finish");

    var current = 0;
    function firstUnanswered() {
      for (var i = 0; i < steps.length; i++) {
        if (!steps[i].querySelector("input:checked")) return i;
      }
      return steps.length - 1;
    }

    function show(index, focus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.classList.toggle("is-current", i === current); });
      text.textContent = "Question " + (current + 1) + " of " + steps.length;
      bar.value = current + 1;
      back.disabled = current === 0;
      var last = current === steps.length - 1;
      next.hidden = last;
      if (submitRow) submitRow.classList.toggle("is-current", last);
      state.step = current; save(state);
      if (focus) {
        var legend = steps[current].querySelector("legend");
        legend.setAttribute("tabindex", "-1");
        legend.focus({ preventScroll: true });
        // The question, not the page header, at the top of a phone's screen.
        // "instant": Bootstrap makes scrolling smooth, which would lag behind.
        window.scrollTo({ top: Math.max(0, form.getBoundingClientRect().top + window.pageYOffset - 8), behavior: "instant" });
      }
    }

    function start(index, focus) {
      state.started = true;
      root.classList.add("quiz-started");
      root.classList.remove("quiz-resumed");
      if (intro) intro.classList.add("is-collapsed");
      show(index, focus);
    }

    function go(index) {
      show(index, true);
      window.history.pushState({ quizStep: current }, "", "#question-" + (current + 1));
    }

    function stepHint() {
      var hint = steps[current].querySelector(".quiz-step-error");
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "quiz-step-error";
        hint.setAttribute("role", "alert");
        hint.textContent = "Choose an answer to go on (or use Back).";
        steps[current].appendChild(hint);
      }
    }

    function advance() {
      if (!steps[current].querySelector("input:checked")) { stepHint(); return; }
      if (current === steps.length - 1) {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return;
      }
      go(current + 1);
    }

    if (startButton) {
      startButton.addEventListener("click", function () {
        start(0, true);
        window.history.pushState({ quizStep: 0 }, "", "#question-1");
      });
    }
    next.addEventListener("click", advance);
    back.addEventListener("click", function () { go(current - 1); });
    over.addEventListener("click", function () {
      clear();
      answers = {}; state = { answers: answers, started: true };
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) { input.checked = false; });
      form.querySelectorAll(".quiz-step-error").forEach(function (hint) { hint.remove(); });
      start(0, true);
      window.history.replaceState({ quizStep: 0 }, "", window.location.pathname + "#question-1");
    });

    // Enter on an option moves on instead of submitting the whole form.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !event.target || event.target.type !== "radio") return;
      event.preventDefault();
      advance();
    });

    form.addEventListener("change", function (event) {
      if (event.target && event.target.name) {
        answers[event.target.name] = event.target.value;
        state.answers = answers; save(state);
        var hint = steps[current].querySelector(".quiz-step-error");
        if (hint) hint.remove();
      }
    });

    form.addEventListener("submit", function (event) {
      var missing = firstUnanswered();
      if (!steps[missing].querySelector("input:checked")) {
        event.preventDefault();
        go(missing); stepHint();
        return;
      }
      // The next visit starts afresh: the result page has the answers now.
      clear();
    });

    if (summary) {
      summary.querySelectorAll("a[data-quiz-step]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          go(parseInt(link.getAttribute("data-quiz-step"), 10) - 1);
        });
      });
    }

    window.addEventListener("popstate", function (event) {
      // A link to a place in the page (the skip link) is no step: it showed
      // question 1, or started the questionnaire from its introduction.
      var known = event.state && typeof event.state.quizStep === "number";
      if (!known && window.location.hash && !/^#question-\d+$/.test(window.location.hash)) return;
      var step = event.state && typeof event.state.quizStep === "number" ? event.state.quizStep : 0;
      if (!state.started) start(step, true); else show(step, true);
    });

    if (summary) {
      start(firstUnanswered(), false);
      summary.focus();
    } else if (state.started) {
      var resume = typeof state.step === "number" ? state.step : 0;
      start(resume, false);
      window.history.replaceState({ quizStep: resume }, "", window.location.pathname + "#question-" + (resume + 1));
    } else if (!startButton) {
      start(0, false); // an editor's preview has no introduction step
    } else {
      show(0, false);
    }
  });
})();
