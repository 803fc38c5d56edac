"""The report's style sheet and script, inlined into every page so a report opens from disk with no server,
no network, no web fonts and no framework. Plain text constants; report_page.py puts them in the page.

The script's contract with the markup: an element with `data-seek` (seconds) and `data-audio` (an <audio> id)
seeks that audio there and plays it when clicked (or on Enter); every `.w` word in a `.transcript` whose
`data-audio` names an audio element seeks to its `data-t` and is highlighted (`.cur`) while that stretch
plays; `.playhead` lines move with their audio's time.
"""

from __future__ import annotations

CSS = """
:root { --situation:#4e79a7; --task:#8e6cc0; --action:#e8842a; --result:#4f9a45; --reflection:#1aa3b5;
  --ok:#2e7d32; --over:#c62828; --under:#b7791f; --missing:#8a8a8a; --ink:#1d232b; --muted:#5f6b78;
  --line:#d9dee4; --card:#ffffff; --bg:#f4f6f8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); line-height:1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 18px 20px 40px; }
h1 { font-size: 1.45rem; margin: 0 0 4px; } h2 { font-size: 1.1rem; margin: 0 0 10px; }
h3 { font-size: .98rem; margin: 14px 0 6px; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
.card.missing { border-color: #e0b252; background: #fff8e6; }
.card.missing ul { margin: 6px 0 0; padding-left: 20px; }
.badge { display:inline-block; font-size:.78rem; padding:1px 8px; border-radius:10px; background:#e8ecf0; margin-left:6px; }
.badge.warn { background:#fde7c2; }
.head { display:flex; gap:22px; align-items:center; flex-wrap:wrap; }
.score { font-size: 2.6rem; font-weight: 700; line-height: 1; }
.score small { font-size: 1rem; color: var(--muted); font-weight: 400; }
.verdict { font-size: 1.25rem; font-weight: 700; }
.v0 { color:#1b7a2f; } .v1 { color:#3d8c3a; } .v2 { color:#a06a00; } .v3 { color:#c0392b; } .v4 { color:#9b1c1c; }
.barraiser { margin: 10px 0 0; font-style: italic; }
.subscores { display:flex; gap:6px; flex-wrap:wrap; margin-top:10px; }
.subscores span { font-size:.85rem; padding:2px 8px; border-radius:6px; background:#eef1f4; }
ol.fixes { margin:0; padding-left: 22px; } ol.fixes li { margin: 4px 0; }
a.at, .at { font-variant-numeric: tabular-nums; font-size:.85rem; white-space:nowrap; color:#175ea8; }
a.at::before { content: "\\25B6\\00a0"; font-size:.7rem; }
.player { position: sticky; top: 0; z-index: 2; background: var(--card); padding: 6px 0; }
audio { width: 100%; height: 36px; }
.prompt { font-style: italic; margin: 2px 0 8px; }
audio.prompt-audio { max-width: 420px; height: 30px; display: block; margin-bottom: 8px; }
svg.chart { width: 100%; height: auto; display:block; font-size: 12px; }
svg text { fill: var(--ink); } svg .tick { fill: var(--muted); font-size: 11px; } svg .label { font-weight: 600; }
svg .grid { stroke: #e6e9ed; } svg .track { fill: #f0f2f5; }
svg .budget { fill: #2e7d32; opacity: .12; }
svg .seg rect { stroke: #fff; stroke-width: 1; } svg .seg text { fill: #fff; font-weight: 600; }
svg [data-seek] { cursor: pointer; } svg .seg:hover rect, svg .row:hover .track { opacity: .85; }
svg .s-situation rect:not(.track):not(.bar), svg .s-situation .chip { fill: var(--situation); }
svg .s-task rect:not(.track):not(.bar), svg .s-task .chip { fill: var(--task); }
svg .s-action rect:not(.track):not(.bar), svg .s-action .chip { fill: var(--action); }
svg .s-result rect:not(.track):not(.bar), svg .s-result .chip { fill: var(--result); }
svg .s-reflection rect:not(.track):not(.bar), svg .s-reflection .chip { fill: var(--reflection); }
svg .bar.st-ok, svg .dot.st-ok { fill: var(--ok); } svg .bar.st-over, svg .dot.st-over { fill: var(--over); }
svg .bar.st-under, svg .dot.st-under { fill: var(--under); } svg .bar.st-missing, svg .dot.st-missing { fill: var(--missing); }
svg text.st-ok { fill: var(--ok); } svg text.st-over { fill: var(--over); } svg text.st-under { fill: var(--under); }
svg text.st-missing { fill: var(--missing); }
svg .target { stroke: var(--ink); stroke-width: 2.5; } svg .target.dashed { stroke-dasharray: 6 5; stroke-width: 1.5; stroke: var(--muted); }
svg .playhead { stroke: #d6336c; stroke-width: 2; }
svg .band { fill: #2e7d32; opacity: .08; }
svg .pace.p-ok { fill: #6d9ecf; } svg .pace.p-slow { fill: var(--under); } svg .pace.p-fast { fill: var(--over); }
svg .pause { fill: #b9c2cc; } svg .pause.long { fill: var(--over); }
svg .line { fill: none; stroke: #175ea8; stroke-width: 2; } svg .dot.current { stroke: var(--ink); stroke-width: 2.5; }
svg .value { font-size: 11px; fill: var(--muted); } svg .gap { fill: var(--missing); }
.legend { display:flex; flex-wrap:wrap; gap:6px 14px; font-size:.85rem; color:var(--muted); margin: 4px 0 8px; }
.legend span { white-space: nowrap; }
.transcript { line-height: 1.9; }
.transcript p { margin: 6px 0; padding: 4px 10px; border-left: 5px solid var(--line); border-radius: 3px; }
.transcript p.s-situation { border-color: var(--situation); background: #4e79a712; }
.transcript p.s-task { border-color: var(--task); background: #8e6cc012; }
.transcript p.s-action { border-color: var(--action); background: #e8842a12; }
.transcript p.s-result { border-color: var(--result); background: #4f9a4512; }
.transcript p.s-reflection { border-color: var(--reflection); background: #1aa3b512; }
.sec { font-size: .72rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; margin-right: 6px; color: var(--muted); }
.transcript .w { cursor: pointer; border-radius: 3px; padding: 0 1px; }
.transcript .w:hover { background: #dde7f3; }
.transcript .w.cur { background: #ffd84d; box-shadow: 0 0 0 2px #ffd84d; }
.m-filler { color: #a33; text-decoration: line-through wavy #c0392b; }
.m-hedge { text-decoration: underline dotted var(--under) 2px; }
.m-routing { background: #fbd5d5; }
.m-not-i { text-decoration: underline dashed var(--task) 1.5px; text-underline-offset: 3px; }
.key { display:inline-block; padding: 0 4px; border-radius: 3px; color: var(--ink); }
table.findings { width:100%; border-collapse: collapse; font-size:.92rem; }
table.findings td { border-top: 1px solid var(--line); padding: 5px 6px; vertical-align: top; }
table.findings tr.group td { border-top: none; padding-top: 12px; font-weight: 700; }
.mark { font-weight: 700; width: 1.5em; text-align:center; }
.pass { color: var(--ok); } .warn { color: var(--under); } .fail { color: var(--over); } .not_measured { color: var(--missing); }
.evidence { color: var(--muted); font-style: italic; display:block; margin-top: 2px; }
.probe { border-top: 1px solid var(--line); padding-top: 10px; margin-top: 10px; }
.cols { display:grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.cols > div { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
table.plain { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.plain th, table.plain td { text-align:left; padding: 5px 8px; border-top: 1px solid var(--line); }
table.plain td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.plain td:first-child { white-space: nowrap; }
.charts { display:grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 10px 18px; }
svg.attempts { font-size: 11px; }
footer { color: var(--muted); font-size: .8rem; margin-top: 24px; }
@media (max-width: 700px) { .cols { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11pt; } main { max-width: none; padding: 0; }
  audio, .no-print, .player, svg .playhead { display: none !important; }
  .card { break-inside: avoid; border-color: #bbb; } .transcript p { break-inside: avoid; }
  a { color: inherit; text-decoration: none; } a.at::before { content: ""; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

JS = """
(function () {
  "use strict";
  var followers = {};
  function play(audio) { var p = audio.play(); if (p && p.catch) { p.catch(function () {}); } }
  function bisect(starts, t) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= t + 0.005) { lo = mid + 1; } else { hi = mid; } }
    return lo - 1;
  }
  function show(audio) {
    var f = followers[audio.id], t = audio.currentTime;
    if (!f) { return; }
    f.words.forEach(function (list, k) {
      var i = bisect(f.starts[k], t), old = f.current[k];
      if (i === old) { return; }
      if (old >= 0) { list[old].classList.remove("cur"); }
      if (i >= 0) { list[i].classList.add("cur"); }
      f.current[k] = i;
    });
    f.heads.forEach(function (line) {
      var axis = parseFloat(line.dataset.axis), left = parseFloat(line.dataset.left), width = parseFloat(line.dataset.width);
      var x = left + Math.min(Math.max(t / axis, 0), 1) * width;
      line.setAttribute("x1", x); line.setAttribute("x2", x);
    });
  }
  function tick(audio) {
    show(audio);
    if (!audio.paused && !audio.ended) { window.requestAnimationFrame(function () { tick(audio); }); }
  }
  function seek(audio, t) { audio.currentTime = t; show(audio); play(audio); }
  document.querySelectorAll("audio[id]").forEach(function (audio) {
    var f = { words: [], starts: [], current: [], heads: [] };
    document.querySelectorAll('.transcript[data-audio="' + audio.id + '"]').forEach(function (box) {
      var list = Array.prototype.slice.call(box.querySelectorAll(".w"));
      f.words.push(list);
      f.starts.push(list.map(function (w) { return parseFloat(w.dataset.t); }));
      f.current.push(-1);
    });
    f.heads = Array.prototype.slice.call(document.querySelectorAll('.playhead[data-audio="' + audio.id + '"]'));
    followers[audio.id] = f;
    ["timeupdate", "seeked"].forEach(function (e) { audio.addEventListener(e, function () { show(audio); }); });
    audio.addEventListener("play", function () { tick(audio); });
  });
  // One sound at a time: starting any player (a prompt's too) pauses the others. Media events do not
  // bubble, so this listens in the capture phase.
  document.addEventListener("play", function (event) {
    document.querySelectorAll("audio").forEach(function (other) { if (other !== event.target) { other.pause(); } });
  }, true);
  function target(el) {
    var seekable = el.closest("[data-seek]");
    if (seekable) { return { audio: document.getElementById(seekable.dataset.audio), t: parseFloat(seekable.dataset.seek) }; }
    var word = el.closest(".transcript .w"), box = word && word.closest(".transcript");
    if (word && box) { return { audio: document.getElementById(box.dataset.audio), t: parseFloat(word.dataset.t) }; }
    return null;
  }
  function act(event) {
    var found = event.target instanceof Element ? target(event.target) : null;
    if (!found || !found.audio) { return; }
    event.preventDefault();
    seek(found.audio, found.t);
  }
  document.addEventListener("click", act);
  document.addEventListener("keydown", function (event) { if (event.key === "Enter") { act(event); } });
})();
"""
