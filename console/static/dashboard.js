// Draws the dashboard's charts with the vendored Chart.js from the page's JSON block
// (#dashboard-data); no inline script, so the console's Content-Security-Policy holds.
(function () {
  "use strict";
  var COLOURS = ["#12395b", "#e07b00", "#2a9d8f", "#b00020", "#7b4fa0", "#6a994e",
                 "#d4a017", "#4a90c2", "#c2185b", "#5d6d7e", "#8d6e63", "#00838f"];

  function colour(i) { return COLOURS[i % COLOURS.length]; }

  var DAY_LABEL_WIDTH = 40;  // px per shown date label, rotated

  function dayLabel(value, index, ticks) {
    var fit = Math.max(2, Math.floor(this.chart.width / DAY_LABEL_WIDTH));
    var step = Math.ceil(ticks.length / fit);
    return (ticks.length - 1 - index) % step === 0 ? this.getLabelForValue(value).slice(5) : null;
  }

  function config(spec) {
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (d, i) {
      var fill = doughnut || spec.datasets.length > 1 ? null : colour(0);
      return {
        label: d.label,
        data: d.data,
        backgroundColor: doughnut ? spec.labels.map(function (_, j) { return colour(j); })
                                  : (fill || colour(i)),
        maxBarThickness: 56,
      };
    });
    var options = { animation: false, responsive: true, maintainAspectRatio: false,
                    plugins: { legend: { display: doughnut || spec.datasets.length > 1 } } };
    if (!doughnut) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked } };
      options.scales[spec.horizontal ? "x" : "y"].beginAtZero = true;
      options.scales[spec.horizontal ? "x" : "y"].ticks = { precision: 0 };
      if (spec.dates) {  // 2026-11-30 → 11-30 on the axis; the tooltip keeps the full date
        // Every step-th day counted back from the last, so the last day always has its label
        // (Chart.js's own autoSkip counts from the first and may drop the last).
        options.scales.x.ticks = { autoSkip: false, maxRotation: 60, callback: dayLabel };
      }
    }
    return { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.Chart) { return; }
    JSON.parse(node.textContent).forEach(function (spec) {
      var canvas = document.getElementById("chart-" + spec.id);
      if (canvas) { new window.Chart(canvas, config(spec)); }
    });
    document.body.setAttribute("data-charts-drawn", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
