// Import progress: polls the job's progress while it runs, then reloads to show the result.
// Without JavaScript the page still offers a link to refresh it.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector(".import-bar");
  var percent = box.querySelector(".import-percent");
  var eta = box.querySelector(".import-eta");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (p.stage !== "previewing" && p.stage !== "committing") { window.location.reload(); return; }
        if (bar) { bar.value = p.percent; bar.textContent = p.percent + "%"; }
        if (percent) { percent.textContent = p.percent + "%"; }
        if (eta) { eta.textContent = p.text; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
