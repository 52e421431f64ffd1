// Small enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  // Filter selects submit their form on change, so a phone user needs one tap less.
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Focus the first field with an error, so the user sees what to correct.
  var invalid = document.querySelector(".field.invalid input, .field.invalid select");
  if (invalid) { invalid.focus(); }
  // A form is submitted once: a second tap on a slow connection does nothing.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
