(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("#conflicts [data-severity][data-status]"));
  var shown = document.getElementById("shown");
  function wanted(name) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"), function (box) {
      out[box.value] = box.checked;
    });
    return out;
  }
  function apply() {
    var severity = wanted("severity"), status = wanted("status"), n = 0;
    rows.forEach(function (row) {
      var show = severity[row.getAttribute("data-severity")] !== false &&
        status[row.getAttribute("data-status")] !== false;
      row.hidden = !show;
      if (show) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length + " conflicts shown";
  }
  form.addEventListener("change", apply);
  form.hidden = false;
  apply();
}());
