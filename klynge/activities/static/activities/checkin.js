// The check-in list: filter the rows while typing in the search box (no server round trip).
(function () {
  function filter(event) {
    var terms = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll(".checkin-row").forEach(function (row) {
      var text = row.getAttribute("data-search") || "";
      var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
      row.hidden = !match;
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "checkin-search") {
      filter(event);
    }
  });
  // Enter in the search box should not submit the bulk-marking form.
  document.addEventListener("keydown", function (event) {
    if (event.target && event.target.id === "checkin-search" && event.key === "Enter") {
      event.preventDefault();
    }
  });
})();
