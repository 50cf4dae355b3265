/* Draw every [data-vega-id] chart from the Vega-Lite spec in the JSON script it names, once the
   page has loaded (the text and tables show first). Charts in view are drawn first; the others
   follow one at a time, each in its own task so that the page stays responsive, and a chart
   scrolled into view jumps the queue. body[data-charts-visible]: the first screen's charts are
   drawn; body[data-charts-ready]: all of them. A chart may ask for the canvas renderer
   (data-vega-renderer="canvas": many small multiples draw faster there); the default is SVG. */
(function () {
  "use strict";
  var drawing = [];
  function embed(el) {
    var i = drawing.findIndex(function (d) { return d.el === el; });
    if (i >= 0) { return drawing[i].done; }
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-vega-id")).textContent);
    var done = vegaEmbed(el, spec, {actions: false, renderer: el.getAttribute("data-vega-renderer") || "svg"})
      .then(function () { el.setAttribute("data-ready", "1"); });
    drawing.push({el: el, done: done});
    return done;
  }
  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  }
  function nextTask() { return new Promise(function (ok) { setTimeout(ok, 0); }); }
  function draw() {
    var all = Array.prototype.slice.call(document.querySelectorAll("[data-vega-id]"));
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); embed(e.target); } });
      }, {rootMargin: "200px"});
      all.forEach(function (el) { seen.observe(el); });
    }
    Promise.all(all.filter(inView).map(embed)).then(function () {
      document.body.setAttribute("data-charts-visible", "1");
      return all.reduce(function (p, el) {
        return p.then(nextTask).then(function () { return embed(el); });
      }, Promise.resolve());
    }).then(function () { document.body.setAttribute("data-charts-ready", "1"); });
  }
  if (document.readyState === "complete") { setTimeout(draw, 0); }
  else { window.addEventListener("load", function () { setTimeout(draw, 0); }); }
})();
