// Draws the districts' ranking on one indicator from the JSON in #ranking-data: one bar per
// district, best first, each in the colour of its status.
(function () {
  "use strict";
  var holder = document.getElementById("ranking-chart");
  var source = document.getElementById("ranking-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);
  var colour = function (status) {
    return (css.getPropertyValue("--st-" + status) || "").trim() || "#0969da";
  };
  var chart = echarts.init(holder);
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: "axis" },
    grid: { left: 96, right: 32, top: 24, bottom: 32 },
    xAxis: { type: "value", name: data.unit },
    yAxis: { type: "category", inverse: true, data: data.names },
    series: [{
      name: data.title,
      type: "bar",
      label: { show: true, position: "right" },
      data: data.values.map(function (v, i) {
        return { value: v, itemStyle: { color: colour(data.statuses[i]) } };
      }),
    }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
