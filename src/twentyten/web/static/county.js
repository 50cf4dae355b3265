/* The county page's plan explanation: computed on the server in a few tenths of a second, so it
   is fetched once the page has loaded instead of holding the page up. */
(function () {
  "use strict";
  function load() {
    var box = document.getElementById("explain");
    if (!box) { return; }
    var body = box.querySelector(".explain-body");
    fetch(box.getAttribute("data-src"), {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + r.statusText); }
      return r.text();
    }).then(function (html) {
      body.innerHTML = html;  // a fragment rendered (and escaped) by the server's template
      box.setAttribute("data-ready", "1");
    }).catch(function (e) {
      body.textContent = String(e);
      box.setAttribute("data-ready", "error");
    });
  }
  if (document.readyState === "complete") { setTimeout(load, 0); }
  else { window.addEventListener("load", function () { setTimeout(load, 0); }); }
})();
