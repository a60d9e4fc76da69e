// The editors' accessibility checker, on editors' previews only (a draft's, or a form's unsaved changes)
// (templates/includes/_preview_banner.html): loads axe-core (built from the
// npm lockfile into js/axe.min.js), checks the rendered page against WCAG 2.2
// A and AA, and lists what it finds in the banner, each with the text of the
// element and a link back to the form. Public pages never load either script.
(function () {
  "use strict";

  var TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
  var panel = document.querySelector(".preview-checks");
  if (!panel) return;
  var out = panel.querySelector(".preview-checks-page");
  var editUrl = panel.getAttribute("data-edit-url");

  function say(text) {
    out.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    out.appendChild(p);
    return p;
  }

  function snippet(node) {
    var el = document.querySelector(node.target[0]);
    var text = el ? (el.textContent || el.getAttribute("alt") || "").trim() : "";
    if (!text && el) {
      var href = el.getAttribute("href");
      text = href ? "a link to " + href : "an empty <" + el.tagName.toLowerCase() + ">";
    }
    return text.length > 80 ? text.slice(0, 77) + "…" : text;
  }

  function show(violations) {
    if (!violations.length) {
      say("The page: the automatic check (axe-core, WCAG 2.2 AA) found no problems.");
      return;
    }
    var count = violations.reduce(function (n, v) { return n + v.nodes.length; }, 0);
    say("The page: the automatic check (axe-core, WCAG 2.2 AA) found " + count +
        (count === 1 ? " problem" : " problems") + ":");
    var list = document.createElement("ul");
    violations.forEach(function (v) {
      v.nodes.forEach(function (node) {
        var item = document.createElement("li");
        item.textContent = v.help + " — “" + snippet(node) + "”. ";
        if (editUrl) {
          var link = document.createElement("a");
          link.href = editUrl;
          link.textContent = "Fix it in the form";
          item.appendChild(link);
        }
        list.appendChild(item);
      });
    });
    out.appendChild(list);
  }

  function done() { panel.setAttribute("data-axe", "done"); }

  function run() {
    // The page as readers get it: the banner itself is not checked.
    var context = { include: [["body"]], exclude: [[".draft-banner"], [".preview-checks"]] };
    window.axe
      .run(context, { runOnly: { type: "tag", values: TAGS }, resultTypes: ["violations"] })
      .then(function (results) { show(results.violations); done(); })
      .catch(function () { say("The page: the automatic check could not run in this browser."); done(); });
  }

  panel.setAttribute("data-axe", "running");
  say("The page: checking with axe-core…");
  var script = document.createElement("script");
  script.src = panel.getAttribute("data-axe-src");
  script.onload = run;
  script.onerror = function () { say("The page: the automatic check could not be loaded."); done(); };
  document.head.appendChild(script);
})();
