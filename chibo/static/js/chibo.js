/* Chi bộ số — small page behaviours, declared in the markup with data- attributes. The Content-Security-
 * Policy allows scripts from this site only: no inline handlers (onclick=…), no eval, no inline styles.
 *
 *   (form[data-confirm="…"] asks before submitting: static/core/confirm.js)
 *   [data-select-on-click]        selects its text when clicked (a URL to copy)
 *   select[data-assign-all="sel"] copies its choice into every select matching `sel`
 *   [data-submit-on-change]       submits its form when changed (a checkbox that saves at once)
 *   input[data-no-enter]          Enter does not submit the form (a search box inside a form)
 *   button[data-print]            prints the page
 *   [data-width="40"]             style width 40% ([data-left] likewise), also in content htmx swaps in
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.closest && el.closest("[data-print]")) window.print();
    if (el.hasAttribute && el.hasAttribute("data-select-on-click") && el.select) el.select();
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-submit-on-change") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
      return;
    }
    var selector = el.getAttribute && el.getAttribute("data-assign-all");
    if (!selector || !el.value) return;
    document.querySelectorAll(selector).forEach(function (s) { s.value = el.value; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.hasAttribute && event.target.hasAttribute("data-no-enter")) {
      event.preventDefault();
    }
  });
  function sizes(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-width], [data-left]").forEach(function (el) {
      var w = el.getAttribute("data-width"), l = el.getAttribute("data-left");
      if (w !== null) el.style.width = parseFloat(w) + "%";
      if (l !== null) el.style.left = parseFloat(l) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizes(document); });
  document.addEventListener("htmx:load", function (event) { sizes(event.target); });
})();
