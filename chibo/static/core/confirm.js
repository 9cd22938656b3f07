// Destructive actions ask first: a form with data-confirm="question" is sent only when the person confirms
// (htmx requests use hx-confirm, which htmx asks itself). A static file: no inline script (CSP).
document.addEventListener("submit", function (event) {
  "use strict";
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
