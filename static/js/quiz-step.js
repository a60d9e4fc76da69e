// The adaptive questionnaire, one question per page: moves between steps
// without a full reload. Without it every step is an ordinary form post and
// redirect (the server keeps the answers), so this only enhances: it posts the
// same form with fetch, swaps the step's block (#quiz-step) for the next one,
// records the step in the history and puts focus on the new question. The
// start page's Start is handled alike: its content is the block swapped for
// the first question.
(function () {
  "use strict";
  var STEP_PATH = /^\/quiz\/q\/[^/]+\/$/;
  var busy = false;

  // The page shown, without its fragment: a link to a place in it (the skip
  // link, an error summary's link to its field) and Back from one fire
  // popstate too, and are no step to fetch.
  function page(url) {
    var u = new URL(url, window.location.href);
    u.hash = "";
    return u.href;
  }
  var shown = page(window.location.href);

  function current() { return document.getElementById("quiz-step"); }

  function isStep(url) {
    var u = new URL(url, window.location.href);
    return u.origin === window.location.origin && STEP_PATH.test(u.pathname);
  }

  function swap(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var next = doc.getElementById("quiz-step");
    var here = current();
    if (!next || !here) return false;
    here.replaceWith(document.importNode(next, true));
    // From the start page: a step has no breadcrumbs.
    var crumbs = document.querySelector(".breadcrumbs");
    if (crumbs && !doc.querySelector(".breadcrumbs")) crumbs.remove();
    if (doc.title) document.title = doc.title;
    if (push) window.history.pushState({ quizStep: true }, "", url);
    shown = page(window.location.href);
    var step = current();
    var target = step.querySelector("#error-summary") || step.querySelector(".quiz-step-heading");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
    window.scrollTo(0, 0);
    return true;
  }

  function load(url, options, push) {
    busy = true;
    return fetch(url, options).then(function (response) {
      return response.text().then(function (html) {
        busy = false;
        var landed = response.url || url;
        if ((response.ok || response.status === 400) && isStep(landed) &&
            swap(html, landed, push && landed !== window.location.href)) {
          return "swapped";
        }
        if (response.ok) {
          // The result page: the browser shows it as it would without scripts.
          window.location.assign(landed);
        } else {
          // A refusal (too many results at once, a failure): show its page.
          var doc = new DOMParser().parseFromString(html, "text/html");
          document.title = doc.title;
          document.body.replaceWith(document.importNode(doc.body, true));
        }
        return "navigated";
      });
    }).catch(function () {
      busy = false;
      return "failed";
    });
  }

  var FORMS = { "quiz-step-form": true, "quiz-start-form": true };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !FORMS[form.id] || !window.fetch || !window.FormData) return;
    event.preventDefault();
    if (busy) return;
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    load(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }, true).then(function (outcome) {
      if (outcome === "failed") {
        // The network failed: post the ordinary way.
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        HTMLFormElement.prototype.submit.call(form);
      }
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#quiz-step a.back-link");
    if (!link || !window.fetch || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (!isStep(link.href)) return;
    event.preventDefault();
    if (busy) return;
    load(link.href, { credentials: "same-origin" }, true);
  });

  window.addEventListener("popstate", function () {
    if (page(window.location.href) === shown) return;
    shown = page(window.location.href);
    if (isStep(window.location.href) && current()) {
      load(window.location.href, { credentials: "same-origin" }, false);
    } else {
      window.location.reload();
    }
  });

  if (current() && window.history.replaceState) {
    window.history.replaceState({ quizStep: true }, "", window.location.href);
  }
})();
