/* Draw every [data-vega-id] chart from the Vega-Lite spec in the JSON script it names, once the
   page has loaded (the text and tables show first; charts follow). */
(function () {
  "use strict";
  function draw() {
    var pending = [];
    document.querySelectorAll("[data-vega-id]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.getAttribute("data-vega-id")).textContent);
      pending.push(vegaEmbed(el, spec, {actions: false, renderer: "svg"}).then(function () { el.setAttribute("data-ready", "1"); }));
    });
    Promise.all(pending).then(function () { document.body.setAttribute("data-charts-ready", "1"); });
  }
  if (document.readyState === "complete") { setTimeout(draw, 0); }
  else { window.addEventListener("load", function () { setTimeout(draw, 0); }); }
})();
