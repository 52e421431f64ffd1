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
  // Case forms: files chosen are read here and sent as hidden fields (name, type, base64),
  // because every form of the application is posted url-encoded.
  document.querySelectorAll("form[data-case-form] input[type=file][data-attach]").forEach(function (input) {
    input.addEventListener("change", function () {
      var form = input.form;
      form.querySelectorAll("input[data-attached]").forEach(function (old) { old.remove(); });
      Array.prototype.forEach.call(input.files, function (file) {
        var reader = new FileReader();
        reader.onload = function () {
          var data = String(reader.result);
          [["att.name", file.name], ["att.type", file.type || "application/octet-stream"],
           ["att.data", data.slice(data.indexOf(",") + 1)]].forEach(function (pair) {
            var hidden = document.createElement("input");
            hidden.type = "hidden"; hidden.name = pair[0]; hidden.value = pair[1];
            hidden.setAttribute("data-attached", "");
            form.appendChild(hidden);
          });
        };
        reader.readAsDataURL(file);
      });
    });
  });
})();
