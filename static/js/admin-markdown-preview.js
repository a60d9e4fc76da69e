// Admin: Write / Preview tabs on each Markdown field. The server renders and
// sanitises the text exactly as the public page will; the preview is styled
// like the site (static/css/editor.css), at the text box's full width.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function tab(label, pressed) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "markdown-tab";
    button.textContent = label;
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    return button;
  }

  function attach(textarea) {
    if (textarea.dataset.previewReady || textarea.closest(".empty-form")) return;
    textarea.dataset.previewReady = "1";
    var editor = document.createElement("div");
    editor.className = "markdown-editor";
    var tabs = document.createElement("div");
    tabs.className = "markdown-tabs";
    tabs.setAttribute("role", "group");
    tabs.setAttribute("aria-label", "Markdown: write or preview");
    var write = tab("Write", true);
    var preview = tab("Preview", false);
    tabs.append(write, preview);
    var output = document.createElement("div");
    output.className = "markdown-preview site-prose";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("beforebegin", editor);
    editor.append(tabs, textarea, output);

    function show(previewing) {
      write.setAttribute("aria-pressed", previewing ? "false" : "true");
      preview.setAttribute("aria-pressed", previewing ? "true" : "false");
      textarea.hidden = previewing;
      output.hidden = !previewing;
      output.style.minHeight = previewing ? textarea.offsetHeight + "px" : "";
    }

    write.addEventListener("click", function () { show(false); textarea.focus(); });
    preview.addEventListener("click", function () {
      var height = textarea.offsetHeight;
      var body = new FormData();
      body.append("text", textarea.value);
      output.textContent = "Loading the preview…";
      show(true);
      output.style.minHeight = height + "px";
      fetch(textarea.dataset.markdownPreviewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form) }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.error) { output.textContent = data.error; return; }
          output.innerHTML = data.html || "<p><em>Nothing to preview.</em></p>";
        })
        .catch(function () {
          output.textContent = "The preview could not be loaded.";
        });
    });
  }

  function scan() {
    document.querySelectorAll("textarea[data-markdown]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("formset:added", scan);
})();
