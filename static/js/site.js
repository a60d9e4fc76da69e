// Progressive enhancement for comparison pages. Every control here is a plain
// link that works without JavaScript; with it, the page switches in place.
(function () {
  "use strict";

  function setupDifferences() {
    var link = document.querySelector("[data-diff-toggle]");
    var table = document.querySelector(".compare-table");
    if (!link || !table || link.getAttribute("data-diff-toggle") !== "diff") return;
    var showingDiff = false;
    link.setAttribute("role", "button");
    link.setAttribute("aria-pressed", "false");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showingDiff = !showingDiff;
      table.querySelectorAll("tr.is-same").forEach(function (row) {
        row.hidden = showingDiff;
      });
      link.textContent = showingDiff ? "Show all rows" : "Show differences only";
      link.setAttribute("aria-pressed", showingDiff ? "true" : "false");
      var url = new URL(window.location.href);
      if (showingDiff) url.searchParams.set("diff", "1"); else url.searchParams.delete("diff");
      window.history.replaceState(null, "", url.pathname + url.search + "#side-by-side");
    });
  }

  function setupContexts() {
    document.querySelectorAll("[data-context-group]").forEach(function (group) {
      var links = group.querySelectorAll("[data-context-target]");
      links.forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          links.forEach(function (other) {
            var note = document.getElementById(other.getAttribute("data-context-target"));
            var selected = other === link;
            if (note) note.hidden = !selected;
            if (selected) other.setAttribute("aria-current", "true");
            else other.removeAttribute("aria-current");
          });
          var url = new URL(link.href, window.location.href);
          window.history.replaceState(null, "", url.pathname + url.search + url.hash);
        });
      });
    });
  }

  function setupShareLink() {
    var input = document.getElementById("share-link");
    if (input) input.addEventListener("focus", function () { input.select(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupDifferences();
    setupContexts();
    setupShareLink();
  });
})();
