// Admin change form: the editor's edit lock lapses after EDITORIAL_LOCK_MINUTES
// without a save. While they type, this keeps it alive (a keep-alive POST at
// most once a minute); before it lapses it warns them; "Keep my lock" keeps it
// without leaving the page (so nothing typed is lost). Without JavaScript the
// form still works: saving and "Keep my lock" refresh the lock on the server.
(function () {
  "use strict";

  var PING_EVERY = 60 * 1000; // at most one keep-alive a minute while typing
  var CHECK_EVERY = 15 * 1000;
  var RETRY_EVERY = 15 * 1000; // after a failed keep-alive, not one per keystroke
  var UNREACHABLE = "We cannot reach the server just now, so your lock may not be kept. Nothing is lost: keep this page open and save once the site is back.";

  function minutes(ms) {
    var n = Math.max(1, Math.round(ms / 60000));
    return n + (n === 1 ? " minute" : " minutes");
  }

  function start(box) {
    var form = box.closest("form");
    var url = box.dataset.lockUrl;
    if (!form || !url) return;
    var lifetime = parseInt(box.dataset.lockMinutes, 10) * 60000;
    var warnBefore = Math.min(5 * 60000, lifetime / 3);
    var lapsesAt = Date.now() + parseFloat(box.dataset.lockSecondsLeft) * 1000;
    var warning = box.querySelector(".edit-lock-warning");
    var lapseText = box.querySelector(".edit-lock-lapse");
    var typingText = box.querySelector(".edit-lock-typing");
    var typedSince = false;
    var lastPing = 0;
    var lost = false;
    var unreachable = false;
    if (typingText) typingText.hidden = false;

    function say(text) {
      if (warning && warning.textContent !== text) warning.textContent = text;
    }

    function check() {
      if (lost) return;
      var left = lapsesAt - Date.now();
      var text = "";
      if (left <= 0) {
        text = "Your lock has lapsed: others can save this record and take the lock over. Save, or press “Keep my lock”, to hold it again.";
      } else if (left <= warnBefore) {
        text = "Your lock lapses in " + minutes(left) + ". Type, save or press “Keep my lock” to keep it.";
      }
      say(unreachable ? (text ? UNREACHABLE + " " + text : UNREACHABLE) : text);
    }

    function ping() {
      lastPing = Date.now();
      typedSince = false;
      var body = new FormData();
      body.append("_keep_alive", "1");
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          unreachable = false;
          if (data.held) {
            lapsesAt = Date.now() + data.seconds_left * 1000;
            if (lapseText) lapseText.textContent = "It lapses at " + data.until + " unless you save or keep it before then.";
            check();
          } else {
            lost = true;
            say((data.label ? data.label + ". " : "") + "You no longer hold the lock: saving may be refused, and what you typed is then kept in a saved copy.");
          }
        })
        .catch(function () {
          // Offline or the server is away: say so, and try again after a
          // while (with the next keystroke or check from then on).
          unreachable = true;
          lastPing = Date.now() - PING_EVERY + RETRY_EVERY;
          typedSince = true;
          check();
        });
    }

    form.addEventListener("input", function () {
      typedSince = true;
      if (Date.now() - lastPing >= PING_EVERY) ping();
    });
    var keep = box.querySelector("button[name=_lock]");
    if (keep) {
      keep.addEventListener("click", function (event) {
        event.preventDefault(); // keep it here: the form's typing stays
        ping();
      });
    }
    window.setInterval(function () {
      if (typedSince && Date.now() - lastPing >= PING_EVERY) ping();
      check();
    }, CHECK_EVERY);
    check();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("#edit-lock[data-lock-url]");
    if (box) start(box);
  });
})();
