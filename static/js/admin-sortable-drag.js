/* The change list's drag (adminsortable2) told what the server answered.
 *
 * adminsortable2's script posts a drag to the update address the page gives
 * it and, on anything but 200, only writes to the console: a drag refused
 * (the list changed since the page was drawn, PublishersReorderMixin.
 * update_order answers 409) looked saved. Here its posts go through a
 * wrapper of fetch that shows the server's message above the list, with a
 * link to reload, and after a saved drag sends the next one with the
 * address the server gave back (the fingerprint of the order just saved,
 * so a second drag from the same page is not taken for a stale one). The
 * list's form carries the same fingerprint for its moves to another page
 * (its hidden "shown", checked by PublishersReorderMixin._recorded_move):
 * it follows too, so a move after a drag from the same page is saved. */
(function () {
  "use strict";

  var config = document.getElementById("admin_sortable2_config");
  if (!config || !window.fetch || !window.URL) return;
  var current;
  try {
    current = JSON.parse(config.textContent).update_url;
  } catch (error) {
    return;
  }
  var path = new URL(current, window.location.href).pathname;
  var FALLBACK = "Your move is not saved: reload the page and move the row again.";

  function show(text) {
    var list = document.querySelector("ul.messagelist");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messagelist";
      var content = document.getElementById("content");
      content.parentNode.insertBefore(list, content);
    }
    var item = document.createElement("li");
    item.className = "error";
    item.setAttribute("role", "alert");
    item.textContent = text + " ";
    var reload = document.createElement("a");
    reload.href = window.location.href;
    reload.textContent = "Reload the page";
    item.appendChild(reload);
    list.appendChild(item);
  }

  function saved(next) {
    current = next;
    var shown = document.querySelector('#changelist-form input[name="shown"]');
    var fingerprint = new URL(next, window.location.href).searchParams.get("shown");
    if (shown && fingerprint) shown.value = fingerprint;
  }

  var original = window.fetch.bind(window);
  window.fetch = function (resource, init) {
    var url = typeof resource === "string" ? new URL(resource, window.location.href) : null;
    if (!url || url.pathname !== path) return original(resource, init);
    return original(current, init).then(
      function (response) {
        response.clone().json().then(
          function (data) {
            if (response.ok && data.update_url) saved(data.update_url);
            else if (!response.ok) show(data.message || FALLBACK);
          },
          function () {
            if (!response.ok) show(FALLBACK);
          }
        );
        return response;
      },
      function (error) {
        show(FALLBACK);
        throw error;
      }
    );
  };
})();
