// The roster upload of the class draw: the chosen file is read in the browser and sent as
// base64 in the ordinary form (the forms of this application are url-encoded). Without
// JavaScript the roster can still be pasted as CSV or taken from the registry.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-base64]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-base64"));
      var name = document.getElementById(input.getAttribute("data-name"));
      var file = input.files && input.files[0];
      if (!file || !target) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var text = String(reader.result);
        target.value = text.substring(text.indexOf(",") + 1);
        if (name) { name.value = file.name; }
      };
      reader.readAsDataURL(file);
    });
  });
})();
