// The one date field (chibo/core/forms.py DateInput): the text box holds dd/mm/yyyy, typed or chosen on the
// phone's date picker beside it; the two are kept in step. Without this script the text box alone works.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(text.trim());
    if (!m) { return ""; }
    var d = new Date(Date.UTC(+m[3], +m[2] - 1, +m[1]));
    if (d.getUTCDate() !== +m[1] || d.getUTCMonth() !== +m[2] - 1) { return ""; }
    return m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]);
  }
  function wire(picker) {
    var box = document.getElementById(picker.dataset.for);
    if (!box || picker.dataset.wired) { return; }
    picker.dataset.wired = "1";
    picker.addEventListener("change", function () {
      var p = picker.value.split("-");
      if (p.length === 3) {
        box.value = p[2] + "/" + p[1] + "/" + p[0];
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    picker.addEventListener("click", function () {
      if (typeof picker.showPicker === "function") {
        try { picker.showPicker(); } catch (e) { /* not allowed here: the native control opens itself */ }
      }
    });
    box.addEventListener("input", function () { picker.value = toIso(box.value); });
  }
  function wireAll(root) {
    (root || document).querySelectorAll("input.date-picker[data-for]").forEach(wire);
  }
  document.addEventListener("DOMContentLoaded", function () { wireAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { wireAll(e.target); });
})();
