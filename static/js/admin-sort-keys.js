/* Ordering rows of the admin's sortable inlines by keyboard.
 *
 * adminsortable2 draws "move to first/last position" as <i role=button>
 * icons that only a mouse can use, and drag and drop for the rest. Here
 * each icon becomes focusable and answers Enter and Space, and each row gets
 * "Move up" and "Move down" buttons that move it one place (within its theme
 * where rows are grouped by theme, static/js/admin-theme-groups.js). The
 * order fields are renumbered the way adminsortable2 does after a drag (in
 * the direction it reads from the inline), so Save stores the order shown. */
(function () {
  "use strict";

  function unitOf(control) {
    return control.closest("tr.has_original, .inline-related.has_original");
  }

  function movable(unit, candidate) {
    // A neighbour to swap with: a saved row of the same inline, not a theme
    // heading, and in the same theme when rows are grouped by theme.
    if (!candidate || !candidate.classList.contains("has_original")) return false;
    var theme = unit.querySelector('select[name$="-theme"]');
    var other = candidate.querySelector('select[name$="-theme"]');
    return !theme || !other || theme.value === other.value;
  }

  function renumber(container) {
    var inputs = Array.prototype.map.call(
      container.querySelectorAll(":scope > .has_original, :scope > tr.has_original"),
      function (unit) { return unit.querySelector("input._reorder_"); }
    ).filter(Boolean);
    // The direction is the inline's own (adminsortable2 marks an inline
    // ordered from the highest number with "reversed"), not guessed from the
    // numbers: two rows just swapped look like a list in reverse.
    var fieldset = container.closest("fieldset.sortable");
    var descending = Boolean(fieldset && fieldset.classList.contains("reversed"));
    inputs.forEach(function (input, index) {
      input.value = String(descending ? inputs.length - index : index + 1);
    });
  }

  function step(unit, direction) {
    var neighbour = direction < 0 ? unit.previousElementSibling : unit.nextElementSibling;
    while (neighbour && neighbour.classList.contains("row-form-errors")) {
      neighbour = direction < 0 ? neighbour.previousElementSibling : neighbour.nextElementSibling;
    }
    if (!movable(unit, neighbour)) return false;
    var parent = unit.parentNode;
    parent.insertBefore(unit, direction < 0 ? neighbour : neighbour.nextElementSibling);
    renumber(parent);
    return true;
  }

  function say(unit, text) {
    var live = document.getElementById("sort-keys-status");
    if (!live) {
      live = document.createElement("p");
      live.id = "sort-keys-status";
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  function button(label, className, direction) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sort-step " + className;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = direction < 0 ? "Up" : "Down";
    b.addEventListener("click", function () {
      var unit = unitOf(b);
      if (!unit) return;
      var moved = step(unit, direction);
      say(unit, moved ? (direction < 0 ? "Moved up one place." : "Moved down one place.")
        : (direction < 0 ? "Already first." : "Already last."));
      b.focus();
    });
    return b;
  }

  function enhance(sort) {
    if (sort.dataset.keys) return;
    sort.dataset.keys = "1";
    sort.querySelectorAll("i[role=button]").forEach(function (icon) {
      icon.tabIndex = 0;
      icon.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          icon.click();
          icon.focus();
        }
      });
    });
    sort.appendChild(button("Move up one place", "move-up", -1));
    sort.appendChild(button("Move down one place", "move-down", 1));
  }

  function start() {
    document.querySelectorAll(".inline-group .sort").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
