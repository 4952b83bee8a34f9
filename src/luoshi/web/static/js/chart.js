// Draws one indicator's chart from the JSON in #chart-data: observed values in the colour of
// the indicator's status, the target path dashed, the projection dotted.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var s = data.series;
  var css = getComputedStyle(document.documentElement);
  var colour = function (name, fallback) {
    return (css.getPropertyValue(name) || "").trim() || fallback;
  };
  var line = function (name, points, style) {
    return Object.assign({ name: name, type: "line", data: points, connectNulls: true }, style);
  };
  var series = [
    line(data.labels.observed, s.observed, {
      symbolSize: 8,
      lineStyle: { width: 3 },
      itemStyle: { color: colour("--st-" + data.status, "#0969da") },
    }),
  ];
  if (s.target_path.length) {
    series.push(line(data.labels.target_path, s.target_path, {
      symbol: "none", lineStyle: { type: "dashed", width: 2 }, itemStyle: { color: "#57606a" },
    }));
  }
  if (s.target_band.length) {
    series.push(line(data.labels.target_high, s.target_band, {
      symbol: "none", lineStyle: { type: "dashed", width: 1 }, itemStyle: { color: "#8c959f" },
    }));
  }
  if (s.projection.length) {
    series.push(line(data.labels.projection, s.projection, {
      symbol: "emptyCircle", lineStyle: { type: "dotted", width: 2 }, itemStyle: { color: "#9a6700" },
    }));
  }
  if (s.benchmark.length) {
    series.push(line(data.labels.benchmark, s.benchmark, {
      symbolSize: 6, itemStyle: { color: "#8250df" },
    }));
  }
  var chart = echarts.init(holder);
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: "value", minInterval: 1, scale: true, axisLabel: { formatter: function (v) { return String(v); } } },
    yAxis: { type: "value", scale: true, name: s.unit },
    series: series,
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
