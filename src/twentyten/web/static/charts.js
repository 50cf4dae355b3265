/* Draw every [data-vega-id] chart from the Vega-Lite spec in the JSON script it names. */
(function () {
  "use strict";
  var pending = [];
  document.querySelectorAll("[data-vega-id]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-vega-id")).textContent);
    pending.push(vegaEmbed(el, spec, {actions: false, renderer: "svg"}).then(function () { el.setAttribute("data-ready", "1"); }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute("data-charts-ready", "1"); });
})();
