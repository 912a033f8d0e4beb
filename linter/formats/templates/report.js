// Filters for the review report. The page reads in full without this
// script: it only shows the filter form and hides what the reviewer unticks.
// It reads everything from the page's own attributes (no data is embedded
// as script), and runs in one pass over the marked elements per change, so
// a report with thousands of findings stays responsive.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var RANK = { error: 0, warning: 1, info: 2, accepted: 3 };
  var notes = document.querySelectorAll("article.note[data-n]");
  var refs = document.querySelectorAll("[data-n]:not(article)");
  var marks = document.querySelectorAll("mark[data-marks]");
  var shown = document.getElementById("shown");
  var kindOf = {};
  var parts = [];
  for (var i = 0; i < marks.length; i++) { parts.push(marks[i].getAttribute("data-marks").split(" ")); }

  function ticked(name) {
    var set = {};
    var boxes = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { set[boxes[i].value] = true; } }
    return set;
  }

  function allTicked() {
    var boxes = form.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) { if (!boxes[i].checked) { return false; } }
    return true;
  }

  // Only elements whose state changes are touched: on a page with thousands
  // of findings, writing every element restyles the whole page each time.
  function set(element, hidden) { if (element.hidden !== hidden) { element.hidden = hidden; } }
  function paint(element, name) { if (element.className !== name) { element.className = name; } }

  function apply() {
    var sev = ticked("sev"), state = ticked("state"), cat = ticked("cat"), pack = ticked("pack");
    var visible = {}, count = 0, i;
    for (i = 0; i < notes.length; i++) {
      var n = notes[i], d = n.dataset;
      var on = !!(sev[d.sev] && state[d.state] && cat[d.cat] && pack[d.pack]);
      kindOf[d.n] = d.state === "accepted" ? "accepted" : d.sev;
      visible[d.n] = on;
      set(n, !on);
      if (on) { count++; }
    }
    for (i = 0; i < refs.length; i++) { set(refs[i], !visible[refs[i].dataset.n]); }
    // A highlight keeps the colour of the strongest finding still shown over
    // it, and loses its colour (not its text) when none is.
    for (i = 0; i < marks.length; i++) {
      var best = null;
      for (var j = 0; j < parts[i].length; j++) {
        var k = kindOf[parts[i][j]];
        if (visible[parts[i][j]] && (best === null || RANK[k] < RANK[best])) { best = k; }
      }
      paint(marks[i], "hl " + (best ? "k-" + best : "off"));
    }
    shown.textContent = count + " of " + notes.length + " findings shown";
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.hidden = false;
  // Every box starts ticked and the page as written shows everything, so
  // there is nothing to apply until a box changes (or the browser restored
  // a reviewer's unticked boxes on reload).
  if (!allTicked()) { apply(); }
})();
