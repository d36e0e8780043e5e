/* Recipient lookup of a kelurahan page (no framework, no other host).
 *
 * Loads the kelurahan's lookup file once, on first use, and filters it in the browser: what
 * the reader types never leaves the device. Names are published masked ("S*** A*****"), so a
 * typed word matches a masked word with the same first letter and the same length (the last
 * typed word may be unfinished: at least its length, ranked after exact lengths). Honorifics
 * ("Hj.") are kept as written.
 *
 * Results come a page at a time (PAGE rows, then "Tampilkan lebih banyak"): on a cheap phone
 * every row costs style, layout and paint on each keystroke, and a phone screen shows about ten.
 */
(function () {
  "use strict";
  var PAGE = 10;
  var box = document.querySelector(".covid-lookup");
  if (!box) { return; }
  var input = box.querySelector("input");
  var status = box.querySelector(".covid-lookup__status");
  var table = box.querySelector("table");
  var body = table.querySelector("tbody");
  var more = box.querySelector(".covid-lookup__more");
  var periods = null, statuses = null, entries = null, loading = null;
  var hits = [], shown = 0;

  // The file is gzipped. Served with "Content-Encoding: gzip" (the publisher's headers) the
  // browser has already inflated it; from a plain static server we inflate it here.
  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
        return JSON.parse(new TextDecoder().decode(bytes));
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).json();
    });
  }

  function load() {
    if (!loading) {
      status.textContent = "Memuat data penerima…";
      loading = fetchJson(box.dataset.src)
        .then(function (doc) {
          periods = doc.periode.map(function (p) { return p.split("|").map(esc); });
          statuses = doc.status.map(esc);
          box.classList.add("covid-lookup--ready");
          entries = doc.penerima.map(function (row) {
            return { row: row, words: row[0].toLowerCase().split(" ") };
          });
          search();
        })
        .catch(function () { status.textContent = "Data penerima tidak dapat dimuat. Coba muat ulang halaman."; });
    }
    return loading;
  }

  // 0: the masked word has exactly the typed word's letters; 1: the typed word may be the
  // start of it (only for the last typed word, which may be unfinished); -1: no match.
  function wordMatch(masked, typed, last) {
    if (masked.indexOf("*") < 0) {  // an honorific kept as written
      return masked.replace(/\./g, "").indexOf(typed.replace(/\./g, "")) === 0 ? 0 : -1;
    }
    if (masked.charAt(0) !== typed.charAt(0)) { return -1; }
    if (typed.length === masked.length) { return 0; }
    return last && typed.length < masked.length ? 1 : -1;
  }

  // The best rank of the typed words against consecutive words of a name: 0 exact from the
  // first word, 1 exact from a later word, 2 and 3 the same with an unfinished last word.
  function rank(words, typed) {
    var best = -1;
    for (var start = 0; start + typed.length <= words.length; start++) {
      var partial = 0, ok = true;
      for (var i = 0; i < typed.length && ok; i++) {
        var m = wordMatch(words[start + i], typed[i], i === typed.length - 1);
        ok = m >= 0;
        partial = Math.max(partial, m);
      }
      if (ok) {
        var r = 2 * partial + (start > 0 ? 1 : 0);
        if (best < 0 || r < best) { best = r; }
      }
    }
    return best;
  }

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  function esc(text) { return String(text).replace(/[&<>"]/g, function (c) { return ESCAPES[c]; }); }

  function search() {
    if (!entries) { return; }
    var typed = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!typed.length) {
      hits = [];
      shown = 0;
      body.innerHTML = "";
      table.hidden = more.hidden = true;
      status.textContent = entries.length + " baris penerima di kelurahan ini.";
      return;
    }
    var byRank = [[], [], [], []];  // best matches first; within a rank, the file's order (by name)
    for (var i = 0; i < entries.length; i++) {
      var r = rank(entries[i].words, typed);
      if (r >= 0) { byRank[r].push(entries[i].row); }
    }
    hits = byRank[0].concat(byRank[1], byRank[2], byRank[3]);
    shown = 0;
    body.innerHTML = "";
    table.hidden = hits.length === 0;
    showMore();
  }

  function showMore() {
    var html = "", end = Math.min(hits.length, shown + PAGE);
    for (var k = shown; k < end; k++) {
      var row = hits[k], period = periods[row[2]];
      html += "<tr><td>" + esc(row[0]) + "</td><td>" + esc(row[1]) + "</td><td>" + period[0] + "</td><td>" +
        period[1] + "</td><td>" + statuses[row[3]] + "</td></tr>";
    }
    body.insertAdjacentHTML("beforeend", html);
    shown = end;
    var found = hits.length;
    more.hidden = shown >= found;
    status.textContent = found === 0 ? "Tidak ada nama yang cocok."
      : found + " baris cocok" + (found > shown ? ", " + shown + " pertama ditampilkan." : ".");
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () { if (entries) { search(); } else { load(); } });
  more.addEventListener("click", showMore);
}());
