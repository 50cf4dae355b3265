// Sort and filter for tables marked data-sortable; no library, works offline.
// A header button sorts by its column (again: the other way); a search box with
// data-filter-for="<table id>" shows only the rows that contain every word typed.
(function () {
  "use strict";
  function key(td) {
    var v = td.getAttribute("data-sort");
    if (v === null) { v = td.textContent.trim(); }
    if (v === "") { return null; }
    var n = Number(v);
    return isNaN(n) ? v.toLowerCase() : n;
  }
  function compare(a, b) {
    if (a === b) { return 0; }
    if (a === null) { return 1; }   // empty cells last, either way
    if (b === null) { return -1; }
    if (typeof a === typeof b) { return a < b ? -1 : 1; }
    return typeof a === "number" ? -1 : 1;
  }
  function count(table) {
    var out = document.querySelector('[data-count-for="' + table.id + '"]');
    if (!out) { return; }
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) { if (!rows[i].hidden) { shown++; } }
    out.textContent = shown + " of " + rows.length + " rows shown";
  }
  function sortBy(table, th, col) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (r, s) {
      var a = key(r.cells[col]), b = key(s.cells[col]);
      if (a === null || b === null) { return compare(a, b); }
      return sign * compare(a, b);
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }
  function filter(table, text) {
    var words = text.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var t = rows[i].textContent.toLowerCase();
      rows[i].hidden = !words.every(function (w) { return t.indexOf(w) >= 0; });
    }
    count(table);
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = th.querySelector("button");
      if (button) { button.addEventListener("click", function () { sortBy(table, th, col); }); }
    });
    count(table);
  });
  document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-for"));
    if (!table) { return; }
    input.addEventListener("input", function () { filter(table, input.value); });
    if (input.value) { filter(table, input.value); }
  });
}());
