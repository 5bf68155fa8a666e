// Sijil: small, optional enhancements. Every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The print view's button (hidden without JavaScript; the browser's own print works anyway).
  var print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  // After a refused form, put the cursor in the first field that needs correcting.
  var bad = document.querySelector(".field.invalid input, .field.invalid select");
  if (bad) { bad.focus(); }
});
