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
  // File inputs with a size limit: a file over it is refused here, before a long upload on a
  // phone connection (the server checks again).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var max = Number(input.getAttribute("data-max-bytes"));
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      if (big.length > 0) {
        input.setCustomValidity("文件“" + big[0].name + "”超过" + Math.round(max / 1048576) + " MB，请压缩后再选");
        input.reportValidity();
        input.value = "";
      } else {
        input.setCustomValidity("");
      }
    });
  });
})();
