/* A role's responsibilities, edited the way readers see them: under a heading
 * per theme, themes in their set order, rows in their order within a theme.
 *
 * - Choosing another theme for a row moves it under that theme's heading.
 * - Dragging a row under another heading gives it that theme.
 * - "Move to first/last position" moves a row within its theme.
 * After each change the hidden order inputs are numbered as shown, so Save
 * stores exactly the order on screen (adminsortable2 numbers them too). */
(function () {
  "use strict";

  var GROUP = "#responsibilities-group";

  function rowsOf(tbody) {
    return Array.prototype.filter.call(tbody.children, function (tr) {
      return tr.classList.contains("form-row") && !tr.classList.contains("empty-form");
    });
  }

  function themeSelect(row) {
    return row.querySelector('select[name$="-theme"]');
  }

  function ThemeGroups(group) {
    this.tbody = group.querySelector("table tbody");
    this.columns = group.querySelectorAll("table thead th").length;
    var template = group.querySelector("tr.empty-form select[name$='-theme']") ||
      group.querySelector("select[name$='-theme']");
    this.themes = template ? Array.prototype.filter.call(template.options, function (o) {
      return o.value;
    }).map(function (o) { return { id: o.value, name: o.textContent.trim() }; }) : [];
    this.building = false;
  }

  ThemeGroups.prototype.heading = function (id, name, count) {
    var tr = document.createElement("tr");
    tr.className = "theme-heading";
    tr.dataset.theme = id;
    var td = document.createElement("td");
    td.colSpan = this.columns;
    var h3 = document.createElement("h3");
    h3.textContent = name;
    var n = document.createElement("span");
    n.className = "theme-count";
    n.textContent = count === 1 ? " · 1 responsibility" : " · " + count + " responsibilities";
    h3.appendChild(n);
    td.appendChild(h3);
    tr.appendChild(td);
    return tr;
  };

  /* Rebuild the headings and put every row under its theme's heading,
   * keeping the rows' order within a theme. */
  ThemeGroups.prototype.build = function () {
    var tbody = this.tbody;
    this.building = true;
    tbody.querySelectorAll("tr.theme-heading").forEach(function (tr) { tr.remove(); });
    var buckets = {};
    var unthemed = [];
    rowsOf(tbody).forEach(function (row) {
      var errors = row.previousElementSibling;
      var unit = errors && errors.classList.contains("row-form-errors") ? [errors, row] : [row];
      var select = themeSelect(row);
      var id = select ? select.value : "";
      if (id) (buckets[id] = buckets[id] || []).push(unit);
      else unthemed.push(unit);
    });
    var anchor = tbody.querySelector("tr.empty-form, tr.add-row");
    var self = this;
    function place(tr) { tbody.insertBefore(tr, anchor); }
    this.themes.forEach(function (theme) {
      var units = buckets[theme.id];
      if (!units) return;
      place(self.heading(theme.id, theme.name, units.length));
      units.forEach(function (unit) { unit.forEach(place); });
    });
    if (unthemed.length) {
      place(self.heading("", "No theme chosen yet", unthemed.length));
      unthemed.forEach(function (unit) { unit.forEach(place); });
    }
    this.building = false;
  };

  ThemeGroups.prototype.renumber = function () {
    rowsOf(this.tbody).forEach(function (row, index) {
      var input = row.querySelector("input._reorder_");
      if (input) input.value = String(index + 1);
    });
  };

  ThemeGroups.prototype.headingAbove = function (row) {
    var tr = row.previousElementSibling;
    while (tr && !tr.classList.contains("theme-heading")) tr = tr.previousElementSibling;
    return tr;
  };

  /* A row dropped under another heading takes that heading's theme. */
  ThemeGroups.prototype.dropped = function (row) {
    var heading = this.headingAbove(row);
    var select = themeSelect(row);
    if (heading && select && heading.dataset.theme && select.value !== heading.dataset.theme) {
      select.value = heading.dataset.theme;
    }
    this.build();
    this.renumber();
  };

  /* Move to the first or last place among the rows of its own theme. */
  ThemeGroups.prototype.move = function (row, direction) {
    var select = themeSelect(row);
    var same = rowsOf(this.tbody).filter(function (other) {
      var s = themeSelect(other);
      return s && select && s.value === select.value;
    });
    if (same.length < 2) return;
    if (direction === "begin") {
      var first = same[0];
      var before = first.previousElementSibling;
      var target = before && before.classList.contains("row-form-errors") ? before : first;
      this.tbody.insertBefore(row, target);
    } else {
      this.tbody.insertBefore(row, same[same.length - 1].nextElementSibling);
    }
    this.build();
    this.renumber();
  };

  ThemeGroups.prototype.listen = function (group) {
    var self = this;
    group.addEventListener("change", function (event) {
      if (event.target.matches('select[name$="-theme"]')) {
        self.build();
        self.renumber();
      }
    });
    // Sortable (adminsortable2's drag and drop) announces the drop as "end".
    this.tbody.addEventListener("end", function (event) {
      if (event.item) self.dropped(event.item);
    });
    // Captured before adminsortable2's own handlers, which move across themes.
    this.tbody.addEventListener("click", function (event) {
      var icon = event.target.closest("i.move-begin, i.move-end");
      if (!icon) return;
      event.stopPropagation();
      self.move(icon.closest("tr"), icon.classList.contains("move-begin") ? "begin" : "end");
    }, true);
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "responsibilities") self.build();
    });
    document.addEventListener("formset:removed", function (event) {
      if (event.detail && event.detail.formsetName === "responsibilities") self.build();
    });
  };

  function start() {
    var group = document.querySelector(GROUP);
    if (!group || !group.querySelector("table tbody")) return;
    var groups = new ThemeGroups(group);
    groups.build();
    groups.listen(group);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
