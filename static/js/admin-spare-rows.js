/* Inline rows where scripts run.
 *
 * Each inline is drawn with blank rows after its saved ones (marked
 * "spare-row"), and a sortable inline with each row's order as a number, so
 * that editors without JavaScript can add rows and order them. With scripts,
 * rows are added with "Add another" and ordered by dragging or the Up/Down
 * buttons: the blank rows at the end of each inline are taken out (and the
 * form's row count with them, so the next added row takes their place), and
 * the class on <html> hides the order numbers (static/css/admin.css).
 * Deferred, this runs before the admin's own inline and sorting scripts
 * start (on DOMContentLoaded and load). */
(function () {
  "use strict";

  document.documentElement.classList.add("admin-scripts");

  function rowsOf(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll("tr.form-row, .inline-related"),
      function (row) {
        return !row.classList.contains("empty-form") && !row.classList.contains("tabular");
      }
    );
  }

  function trim(group) {
    var data = group.dataset.inlineFormset;
    var prefix = data ? JSON.parse(data).options.prefix : null;
    var total = prefix && document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!total) return;
    var rows = rowsOf(group);
    // Only from the end: a blank row between typed ones keeps its number.
    while (rows.length && rows[rows.length - 1].classList.contains("spare-row")) {
      rows.pop().remove();
      total.value = String(parseInt(total.value, 10) - 1);
    }
  }

  document.querySelectorAll(".js-inline-admin-formset").forEach(trim);
})();
