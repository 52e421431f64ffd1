// Report template editor (indicator picker, live preview with errors at line/column) and the
// checker's file upload (read in the browser, sent base64 in the url-encoded form with its CSRF token).
(function () {
  'use strict';
  var body = document.getElementById('template-body');
  var form = document.getElementById('template-form');
  if (body && form) {
    var preview = document.getElementById('preview');
    var errors = document.getElementById('template-errors');
    var timer = null;
    var lineStart = function (text, line) {
      var pos = 0;
      for (var i = 1; i < line; i++) { var n = text.indexOf('\n', pos); if (n < 0) { return text.length; } pos = n + 1; }
      return pos;
    };
    var refresh = function () {
      var data = new URLSearchParams(new FormData(form));
      fetch('/reports/preview', { method: 'POST', body: data, credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
        .then(function (r) { return r.json(); })
        .then(function (result) {
          errors.textContent = '';
          (result.errors || []).forEach(function (e) {
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = '#template-body';
            a.textContent = (e.line > 0 ? '第' + e.line + '行第' + e.column + '列：' : '') + e.message;
            a.addEventListener('click', function (ev) {
              ev.preventDefault();
              var p = lineStart(body.value, e.line) + e.column - 1;
              body.focus(); body.setSelectionRange(p, p);
            });
            li.appendChild(a); errors.appendChild(li);
          });
          if (result.html) { preview.classList.remove('muted'); preview.innerHTML = result.html; }
        })
        .catch(function () { errors.textContent = '预览失败，请稍后重试'; });
    };
    var schedule = function () { clearTimeout(timer); timer = setTimeout(refresh, 600); };
    body.addEventListener('input', schedule);
    document.getElementById('preview-year').addEventListener('change', refresh);
    document.getElementById('preview-unit').addEventListener('change', refresh);
    refresh();
    var q = document.getElementById('picker-q');
    var results = document.getElementById('picker-results');
    var search = function () {
      fetch('/reports/indicators?q=' + encodeURIComponent(q.value), { credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (list) {
          results.textContent = '';
          list.forEach(function (e) {
            var li = document.createElement('li');
            var b = document.createElement('button');
            b.type = 'button'; b.className = 'link'; b.textContent = e.name + '（' + e.category + '）';
            b.addEventListener('click', function () {
              var s = body.selectionStart, t = body.selectionEnd;
              body.value = body.value.slice(0, s) + e.insert + body.value.slice(t);
              body.focus(); body.setSelectionRange(s + e.insert.length, s + e.insert.length);
              schedule();
            });
            li.appendChild(b); results.appendChild(li);
          });
        });
    };
    q.addEventListener('input', function () { clearTimeout(q.timer); q.timer = setTimeout(search, 250); });
  }
  var file = document.getElementById('check-file');
  if (file) {
    file.addEventListener('change', function () {
      var f = file.files[0];
      if (!f) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var bytes = new Uint8Array(reader.result), s = '';
        for (var i = 0; i < bytes.length; i += 0x8000) { s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)); }
        document.getElementById('check-file-data').value = btoa(s);
        document.getElementById('check-file-name').value = f.name;
      };
      reader.readAsArrayBuffer(f);
    });
  }
})();
