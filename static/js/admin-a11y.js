/* Accessible names for the Django admin's autocomplete boxes (select2).
 *
 * select2 draws its own box next to the hidden <select>: an empty single box
 * is a textbox without a name, a multiple box's search field has no label and
 * its "remove all" cross sits in the list as a bare <span>. Each box is named
 * after its field's label, and fixed again whenever select2 redraws it. */
(function () {
  "use strict";

  function fieldName(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var text = label ? label.textContent : select.getAttribute("aria-label") || select.name;
    return text.replace(/:\s*$/, "").trim();
  }

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function fix(select, box) {
    var name = fieldName(select);
    var rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
    if (rendered) {
      var placeholder = rendered.querySelector(".select2-selection__placeholder");
      if (placeholder) setAttr(rendered, "aria-label", name + ": " + placeholder.textContent);
      else if (rendered.hasAttribute("aria-label")) rendered.removeAttribute("aria-label");
    }
    box.querySelectorAll(".select2-search__field").forEach(function (input) {
      setAttr(input, "aria-label", name);
    });
    box.querySelectorAll("ul > .select2-selection__clear").forEach(function (cross) {
      setAttr(cross, "role", "listitem");
    });
  }

  function watch(select) {
    var box = select.nextElementSibling;
    if (!box || !box.classList.contains("select2") || box.dataset.a11y) return;
    box.dataset.a11y = "1";
    fix(select, box);
    new MutationObserver(function () { fix(select, box); })
      .observe(box, { childList: true, subtree: true });
  }

  /* Django's two-box permission picker marks its filter icons with
   * aria-label on a bare <span>; as images they may carry that name. */
  function nameIcons() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  /* Split date and time boxes without a label of their own (models outside
   * this project's admin, such as a user's "Last login") are named after the
   * field's label. */
  function nameSplitDateTimes() {
    document.querySelectorAll(".datetime input[type=text]").forEach(function (input) {
      if (input.labels && input.labels.length) return;
      if (input.hasAttribute("aria-label")) return;
      var row = input.closest(".form-row, fieldset");
      var label = row && row.querySelector("label, legend");
      var name = label ? label.textContent.replace(/:\s*$/, "").trim() : input.name;
      var part = /_1$/.test(input.id) || input.classList.contains("vTimeField") ? "time" : "date";
      input.setAttribute("aria-label", name + ": " + part);
    });
  }

  function scan() {
    document.querySelectorAll("select.admin-autocomplete").forEach(watch);
    nameIcons();
    nameSplitDateTimes();
  }

  // select2 draws its boxes when jQuery is ready, and for rows added with
  // "Add another" later still: any new box in the page is named as it appears.
  // At most one scan per frame: typing (the character counters) changes the
  // page too.
  var pending = false;
  function scanSoon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; scan(); });
  }
  scan();
  new MutationObserver(scanSoon).observe(document.body, { childList: true, subtree: true });
})();
