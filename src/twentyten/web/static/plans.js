/* Scenario runs: poll /plans/jobs.json while one is running and redraw their rows. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("plans-l10n").textContent);
  var body = document.getElementById("job-rows");
  function cell(tr, text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }
  function draw(jobs) {
    body.innerHTML = "";
    jobs.forEach(function (j) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-job", j.id); tr.setAttribute("data-state", j.state);
      cell(tr, j.name); cell(tr, T[j.state] || j.state);
      var td = cell(tr, ""), bar = document.createElement("progress");
      bar.max = j.time_limit; bar.value = Math.min(j.seconds, j.time_limit); bar.setAttribute("aria-label", j.name);
      td.appendChild(bar); td.appendChild(document.createTextNode(" " + j.seconds + " s"));
      cell(tr, j.message);
      body.appendChild(tr);
    });
    return jobs.some(function (j) { return j.state === "running"; });
  }
  function poll() {
    fetch("/plans/jobs.json", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (jobs) {
      if (draw(jobs)) { setTimeout(poll, 1000); } else { body.setAttribute("data-idle", "1"); }
    });
  }
  if (body.querySelector("tr[data-state=running]")) { poll(); } else { body.setAttribute("data-idle", "1"); }
})();
