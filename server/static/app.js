// backoffice: the little JavaScript the pages use; they work without it.
// Filter forms submit when a select changes.
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t && t.matches && t.matches("form.filters select[data-autosubmit]")) {
    t.form.submit();
  }
});
