// A countdown that says when to take each reading of the stand test: one reading a minute, lying
// down first, then standing. It only prompts and moves the focus; the form works without it.
(function () {
  "use strict";
  var box = document.querySelector("[data-timer]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-reading-row]"));
  if (!box || !rows.length) { return; }
  var status = box.querySelector("[data-timer-status]");
  var clock = box.querySelector("[data-timer-clock]");
  var start = box.querySelector("[data-timer-start]");
  var stop = box.querySelector("[data-timer-stop]");
  var SECONDS_PER_READING = 60;
  var index = 0, left = 0, ticker = null;
  box.hidden = false;

  function show(seconds) {
    var s = seconds % 60;
    clock.textContent = Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function prompt(i) {
    rows.forEach(function (row) { row.classList.remove("oc-now"); });
    var row = rows[i];
    row.classList.add("oc-now");
    var standingNow = row.dataset.standing === "1";
    var firstStanding = standingNow && (i === 0 || rows[i - 1].dataset.standing === "0");
    status.textContent = (firstStanding ? "Stand up now. " : "") +
      "Take the reading for " + row.dataset.label + ".";
    var input = row.querySelector("input");
    if (input) { input.focus(); }
  }

  function tick() {
    left -= 1;
    show(left);
    if (left > 0) { return; }
    index += 1;
    if (index >= rows.length) { finish("Done. Sit down, then save your readings."); return; }
    left = SECONDS_PER_READING;
    prompt(index);
  }

  function finish(text) {
    window.clearInterval(ticker);
    ticker = null;
    status.textContent = text;
    start.hidden = false;
    stop.hidden = true;
  }

  start.addEventListener("click", function () {
    index = 0;
    left = SECONDS_PER_READING;
    show(left);
    prompt(0);
    start.hidden = true;
    stop.hidden = false;
    ticker = window.setInterval(tick, 1000);
  });
  stop.addEventListener("click", function () { finish("Timer stopped."); });
})();
