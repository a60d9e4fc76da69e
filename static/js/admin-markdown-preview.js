// Admin: a Preview button under each Markdown field. The server renders and
// sanitises the text exactly as the public page will.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function attach(textarea) {
    if (textarea.dataset.previewReady) return;
    textarea.dataset.previewReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = "Preview";
    var output = document.createElement("div");
    output.className = "markdown-preview";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", output);
    textarea.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.dataset.markdownPreviewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form) }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          output.hidden = false;
          if (data.error) { output.textContent = data.error; return; }
          output.innerHTML = data.html || "<p><em>Nothing to preview.</em></p>";
        })
        .catch(function () {
          output.hidden = false;
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
