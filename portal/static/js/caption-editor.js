// Caption editor (progressive enhancement): the page is a plain form of cue rows without this file.
// Adds per row: play the cue, start/end = the player's current time, shift by 0.1 s, split, merge
// with the next row, delete; and a button to add a row. Field names are renumbered (cues-N-…) so
// the server reads the rows in their new order.
(function () {
  "use strict";

  function parseTime(value) {
    var m = /^\s*(?:(\d{1,2}):)?(\d{1,4}(?:[.,]\d{1,3})?)\s*$/.exec(value || "");
    if (!m) { return null; }
    var seconds = parseFloat(m[2].replace(",", "."));
    if (m[1] !== undefined && seconds >= 60) { return null; }
    return Math.round(((m[1] ? parseInt(m[1], 10) * 60 : 0) + seconds) * 1000) / 1000;
  }

  function formatTime(seconds) {
    seconds = Math.max(0, Math.round(seconds * 1000) / 1000);
    var minutes = Math.floor(seconds / 60);
    var rest = (seconds - minutes * 60).toFixed(3);
    if (rest.length < 6) { rest = "0" + rest; }
    return minutes + ":" + rest;
  }

  function init(root) {
    var player = root.querySelector("[data-caption-video]");
    var list = root.querySelector("[data-caption-rows]");
    var now = root.querySelector("[data-caption-now]");
    var msg = root.dataset;
    var stopAt = null;
    if (!player || !list) { return; }

    function rows() { return Array.prototype.slice.call(list.querySelectorAll("[data-caption-row]")); }
    function input(row, kind) { return row.querySelector("[data-caption-" + kind + "]"); }
    function get(row, kind) { return parseTime(input(row, kind).value); }
    function set(row, kind, seconds) { input(row, kind).value = formatTime(seconds); }

    function renumber() {
      rows().forEach(function (row, index) {
        row.querySelectorAll("[name^='cues-'], [id^='cues-'], [for^='cues-'], [aria-describedby]").forEach(function (el) {
          ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) { el.setAttribute(attr, value.replace(/cues-\d+-/g, "cues-" + index + "-")); }
          });
        });
        var number = row.querySelector("[data-caption-number]");
        if (number) { number.textContent = String(index + 1); }
      });
    }

    function clearErrors(row) {
      row.querySelectorAll(".form-error").forEach(function (el) { el.remove(); });
      row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
      row.querySelectorAll(".form-field--invalid").forEach(function (el) { el.classList.remove("form-field--invalid"); });
    }

    function newRowAfter(row, start, end, text) {
      var copy = row.cloneNode(true);
      clearErrors(copy);
      copy.querySelector("[data-caption-tools]").innerHTML = "";
      row.parentNode.insertBefore(copy, row.nextSibling);
      input(copy, "start").value = start === null ? "" : formatTime(start);
      input(copy, "end").value = end === null ? "" : formatTime(end);
      input(copy, "text").value = text || "";
      addTools(copy);
      renumber();
      return copy;
    }

    function button(label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button--secondary button--small";
      b.textContent = label;
      b.addEventListener("click", action);
      return b;
    }

    function addTools(row) {
      var tools = row.querySelector("[data-caption-tools]");
      tools.innerHTML = "";
      tools.appendChild(button(msg.msgPlay, function () {
        var start = get(row, "start");
        if (start === null) { return; }
        player.currentTime = start;
        stopAt = get(row, "end");
        player.play();
      }));
      tools.appendChild(button(msg.msgStartNow, function () { set(row, "start", player.currentTime); }));
      tools.appendChild(button(msg.msgEndNow, function () { set(row, "end", player.currentTime); }));
      tools.appendChild(button(msg.msgEarlier, function () { shift(row, -0.1); }));
      tools.appendChild(button(msg.msgLater, function () { shift(row, 0.1); }));
      tools.appendChild(button(msg.msgSplit, function () {
        var start = get(row, "start"), end = get(row, "end");
        if (start === null || end === null || end <= start) { return; }
        var at = player.currentTime > start && player.currentTime < end ? player.currentTime : (start + end) / 2;
        var text = input(row, "text").value;
        var words = text.split(/\s+/).filter(Boolean);
        var cut = Math.round(words.length * (at - start) / (end - start));
        set(row, "end", at);
        input(row, "text").value = words.slice(0, cut).join(" ");
        newRowAfter(row, at, end, words.slice(cut).join(" "));
      }));
      tools.appendChild(button(msg.msgMerge, function () {
        var next = row.nextElementSibling;
        if (!next) { return; }
        var end = get(next, "end");
        if (end !== null) { set(row, "end", end); }
        var text = [input(row, "text").value.trim(), input(next, "text").value.trim()].filter(Boolean).join(" ");
        input(row, "text").value = text;
        next.remove();
        renumber();
      }));
      tools.appendChild(button(msg.msgDelete, function () {
        if (rows().length > 1) { row.remove(); renumber(); return; }
        ["start", "end", "text"].forEach(function (kind) { input(row, kind).value = ""; });
      }));
    }

    function shift(row, delta) {
      var start = get(row, "start"), end = get(row, "end");
      if (start === null || end === null) { return; }
      var d = Math.max(delta, -start);
      set(row, "start", start + d);
      set(row, "end", end + d);
    }

    rows().forEach(addTools);
    var add = button(msg.msgAdd, function () {
      var all = rows();
      var last = all[all.length - 1];
      var from = last ? get(last, "end") : 0;
      newRowAfter(last, from, null, "");
    });
    list.parentNode.insertBefore(add, list.nextSibling);

    player.addEventListener("timeupdate", function () {
      var t = player.currentTime;
      if (now) { now.textContent = formatTime(t); }
      if (stopAt !== null && t >= stopAt) { player.pause(); stopAt = null; }
      rows().forEach(function (row) {
        var start = get(row, "start"), end = get(row, "end");
        row.classList.toggle("caption-row--playing", start !== null && end !== null && t >= start && t < end);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-caption-editor]").forEach(init);
  });
})();
