// Klynge's only script besides htmx: ask before destructive submits (data-confirm).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Security part (issue 7): the Content-Security-Policy forbids inline scripts and handlers,
// so the behaviours pages used to write inline live here.

// <select data-autosubmit> submits its form when changed (was onchange="this.form.submit()").
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});

// Plotly figures: klynge/core/charts.py writes an empty div.js-plotly followed by the figure
// as <script type="application/json">; draw each once Plotly (loaded from this server) is there.
function klyngeDrawCharts(root) {
  if (!window.Plotly) {
    return;
  }
  var charts = (root || document).querySelectorAll("div.js-plotly:not([data-drawn])");
  Array.prototype.forEach.call(charts, function (div) {
    var data = div.nextElementSibling;
    if (!data || data.getAttribute("type") !== "application/json") {
      return;
    }
    var figure = JSON.parse(data.textContent);
    div.setAttribute("data-drawn", "1");
    window.Plotly.newPlot(div, figure.data || [], figure.layout || {}, figure.config || {});
  });
}
document.addEventListener("DOMContentLoaded", function () { klyngeDrawCharts(document); });
document.addEventListener("htmx:afterSettle", function (event) { klyngeDrawCharts(event.target); });
// Responsive charts size themselves on resize; one after load fits them to the final layout.
window.addEventListener("load", function () {
  if (document.querySelector("div.js-plotly")) {
    window.dispatchEvent(new Event("resize"));
  }
});
