/*
 * CCHC search: finds Vietnamese with or without diacritics, by procedure code and
 * by common abbreviations, in Material's own search box.
 *
 * Nothing is downloaded while a page is read. When the search box opens, the
 * vocabulary (search/cchc/vocab.json) is fetched; each query then fetches only the
 * shards holding its words and the display rows of the results shown. The index is
 * built by scripts/cchc/search/index.py; the token rules below mirror
 * scripts/cchc/search/tokens.py (tests/test_search_tokens.py checks both agree).
 * No dependency, no third-party request.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-cchc-search]");
  if (!root || !window.fetch || !("normalize" in String.prototype)) return;

  var input = root.querySelector("[data-cchc-search-query]");
  var form = input.form;
  var meta = root.querySelector("[data-cchc-search-meta]");
  var list = root.querySelector("[data-cchc-search-list]");
  var toggle = document.getElementById("__search");
  var indexUrl = new URL(root.getAttribute("data-cchc-search"), location.href);
  var siteBase = new URL(indexUrl.href.replace(/search\/cchc\/[^\/]*\/?$/, ""));
  var PAGE = 10;

  function str(name, n) {
    var s = root.getAttribute("data-str-" + name) || "";
    return n === undefined ? s : s.replace("#", String(n));
  }

  /* ---- tokens (same rules as tokens.py) -------------------------------------- */
  var CHAR_MAP = { "\u01a3": "ư", "\u01a2": "Ư", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    "\u200b": "", "\ufeff": "", "\u00ad": "" };
  var CHAR_RE = /[\u01a3\u01a2\u00a0\u2007\u202f\u200b\ufeff\u00ad]/g;
  var TONES = "\u0300\u0301\u0303\u0309\u0323";
  var TOKEN_RE = /[\p{L}\p{N}]+/gu;
  var NUM_JOIN_RE = /(?<=\p{Nd})[.,](?=\p{Nd})/gu;
  var OPEN_PAIR_RE = /(?<!q)(oa|oe|uy)$/;
  var MARKS_RE = /\p{M}/gu;

  function clean(s) {
    return s.normalize("NFC").replace(CHAR_RE, function (c) { return CHAR_MAP[c]; });
  }

  function unifyWord(w) {
    var d = w.normalize("NFD");
    var tones = [];
    var base = "";
    for (var i = 0; i < d.length; i++) {
      if (TONES.indexOf(d[i]) >= 0) tones.push(d[i]); else base += d[i];
    }
    if (tones.length !== 1) return w;
    base = base.normalize("NFC");
    var m = OPEN_PAIR_RE.exec(base.toLowerCase());
    if (!m) return w;
    var at = m.index + 1;
    return (base.slice(0, at) + tones[0] + base.slice(at)).normalize("NFC");
  }

  var exactCache = new Map();
  function exactForm(tok) {
    var e = exactCache.get(tok);
    if (e === undefined) {
      e = unifyWord(tok.toLowerCase());
      exactCache.set(tok, e);
    }
    return e;
  }

  function keyOf(exact) {
    return exact.normalize("NFD").replace(MARKS_RE, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFC").toLowerCase();
  }

  function tokenize(s) {
    return (clean(s).replace(NUM_JOIN_RE, "").match(TOKEN_RE) || []).map(exactForm);
  }

  // Exposed for the token parity test and for debugging in the console.
  window.cchcSearch = { tokenize: tokenize, keyOf: keyOf };

  /* ---- index ------------------------------------------------------------------- */
  var vocab = null;
  var vocabPromise = null;
  var shards = new Map();
  var chunks = new Map();

  function getJSON(url, revalidate) {
    // vocab.json keeps its name across builds, so it is revalidated; the files it
    // names carry a hash of their content and may come from the cache as they are.
    return fetch(url, { credentials: "same-origin", cache: revalidate ? "no-cache" : "default" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  function loadVocab() {
    if (!vocabPromise) {
      vocabPromise = getJSON(new URL("vocab.json", indexUrl), true).then(function (v) {
        v.keyList = v.keys ? v.keys.split(" ") : [];
        v.starts = v.shards.map(function (s) { return s[0]; });
        v.rev = new Map(); // "bao hiem y te" -> "bhyt"
        Object.keys(v.syn).forEach(function (abbr) {
          v.syn[abbr].forEach(function (e) { v.rev.set(tokenize(e).map(keyOf).join(" "), abbr); });
        });
        vocab = v;
        return v;
      }, function (err) { vocabPromise = null; throw err; });
    }
    return vocabPromise;
  }

  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function shardIndex(ki) {
    var s = lowerBound(vocab.starts, ki + 1) - 1;
    return s < 0 ? 0 : s;
  }

  function loadShard(si) {
    var name = vocab.shards[si][1];
    if (!shards.has(name)) {
      var p = getJSON(new URL("t/" + name + ".json", indexUrl));
      p.catch(function () { shards.delete(name); });
      shards.set(name, p);
    }
    return shards.get(name);
  }

  function loadChunk(ci) {
    var name = vocab.chunks[ci];
    if (!chunks.has(name)) {
      var p = getJSON(new URL("d/" + name + ".json", indexUrl));
      p.catch(function () { chunks.delete(name); });
      chunks.set(name, p);
    }
    return chunks.get(name);
  }

  /* ---- query ------------------------------------------------------------------- */
  // A query is a list of groups; a document matches a group when it matches one of
  // the group's alternatives, i.e. all the words of that alternative. Abbreviations
  // add alternatives both ways: "BHYT" also finds "bảo hiểm y tế" and back.
  function parse(q) {
    var open = !/\s$/.test(q); // the last word is still being typed: match it as a prefix
    var toks = tokenize(q);
    var groups = [];
    var i = 0;
    function word(t, prefix) { return { exact: t, key: keyOf(t), prefix: prefix }; }
    while (i < toks.length) {
      var matched = false;
      for (var len = Math.min(6, toks.length - i); len >= 2 && !matched; len--) {
        var abbr = vocab.rev.get(toks.slice(i, i + len).map(keyOf).join(" "));
        if (abbr) {
          groups.push({ alts: [toks.slice(i, i + len).map(function (t) { return word(t, false); }), [word(abbr, false)]] });
          i += len;
          matched = true;
        }
      }
      if (matched) continue;
      var t = toks[i];
      var last = i === toks.length - 1;
      var alts = [[word(t, last && open)]];
      (vocab.syn[keyOf(t)] || []).forEach(function (e) {
        alts.push(tokenize(e).map(function (x) { var w = word(x, false); w.syn = true; return w; }));
      });
      groups.push({ alts: alts });
      i++;
    }
    return groups;
  }

  var FIELD_TITLE = 3.0, FIELD_LEAD = 1.5, BODY = [0, 0.6, 0.8, 1.0];
  var MAX_EXTENSIONS = 8;

  function keysFor(w) {
    var out = [];
    var ki = lowerBound(vocab.keyList, w.key);
    if (!w.prefix) {
      if (vocab.keyList[ki] === w.key) out.push(ki);
      return out;
    }
    var ext = [];
    for (var j = ki; j < vocab.keyList.length && vocab.keyList[j].lastIndexOf(w.key, 0) === 0; j++) {
      if (vocab.keyList[j] === w.key) out.push(j); else ext.push(j);
    }
    ext.sort(function (a, b) { return vocab.df[b] - vocab.df[a]; });
    return out.concat(ext.slice(0, MAX_EXTENSIONS));
  }

  // Scores of one word: Map doc -> [score, matched in title].
  function scoreWord(w) {
    var kis = keysFor(w);
    if (!kis.length) return Promise.resolve(new Map());
    return Promise.all(kis.map(function (ki) { return loadShard(shardIndex(ki)); })).then(function (data) {
      var res = new Map();
      var df = 0;
      var accented = w.exact !== w.key;
      kis.forEach(function (ki, n) {
        var key = vocab.keyList[ki];
        df = Math.max(df, vocab.df[ki]);
        var forms = data[n][key] || {};
        // A document's fields are merged over the spellings of the key ("hướng" in the
        // summary, "huong" in the title), then ranked up when one of them is the exact
        // spelling typed (only when the query has diacritics).
        var perDoc = new Map(); // id -> [field bits, exact spelling present]
        Object.keys(forms).forEach(function (form) {
          var exact = accented && (form === w.exact || (w.prefix && form.lastIndexOf(w.exact, 0) === 0));
          var arr = forms[form];
          var id = 0;
          for (var k = 0; k < arr.length; k++) {
            var p = arr[k];
            id += Math.floor(p / 16);
            var d = perDoc.get(id);
            if (!d) perDoc.set(id, d = [0, false]);
            d[0] = ((d[0] | p) & 12) | Math.max(d[0] & 3, p & 3);
            d[1] = d[1] || exact;
          }
        });
        var extension = key !== w.key ? 0.6 : 1;
        perDoc.forEach(function (d, id) {
          var bits = d[0];
          var title = (bits & 8) !== 0;
          var s = ((title ? FIELD_TITLE : 0) + (bits & 4 ? FIELD_LEAD : 0) + BODY[bits & 3]) * extension * (d[1] ? 1.5 : 1);
          var prev = res.get(id);
          if (!prev || prev[0] < s) res.set(id, [s, title || (prev ? prev[1] : false)]);
          else if (title) prev[1] = true;
        });
      });
      var idf = Math.log(1 + (vocab.n - df + 0.5) / (df + 0.5));
      res.forEach(function (v) { v[0] *= idf; });
      return res;
    });
  }

  function scoreGroup(g) {
    return Promise.all(g.alts.map(function (alt) {
      return Promise.all(alt.map(scoreWord)).then(function (maps) {
        // all words of an alternative must match
        maps.sort(function (a, b) { return a.size - b.size; });
        var out = new Map();
        maps[0].forEach(function (v, id) {
          var s = v[0], title = v[1] ? 1 : 0;
          for (var m = 1; m < maps.length; m++) {
            var o = maps[m].get(id);
            if (!o) return;
            s += o[0];
            title += o[1] ? 1 : 0;
          }
          out.set(id, [s, title === maps.length]);
        });
        return out;
      });
    })).then(function (altMaps) {
      var out = new Map();
      altMaps.forEach(function (m) {
        m.forEach(function (v, id) {
          var prev = out.get(id);
          if (!prev || prev[0] < v[0]) out.set(id, v);
        });
      });
      return out;
    });
  }

  function search(q) {
    return loadVocab().then(function () {
      var groups = parse(q);
      if (!groups.length) return { ids: [], partial: false };
      return Promise.all(groups.map(scoreGroup)).then(function (maps) {
        var acc = new Map(); // id -> [score, groups matched, groups matched in title]
        maps.forEach(function (m) {
          m.forEach(function (v, id) {
            var a = acc.get(id);
            if (!a) acc.set(id, a = [0, 0, 0]);
            a[0] += v[0];
            a[1] += 1;
            a[2] += v[1] ? 1 : 0;
          });
        });
        var G = groups.length;
        var best = 0;
        acc.forEach(function (a) { if (a[1] > best) best = a[1]; });
        var ids = [];
        acc.forEach(function (a, id) {
          if (a[1] !== best) return;
          var s = a[0] * (1 + 0.5 * a[2] / G);
          if (a[2] === G) s *= 1 + G / Math.max(vocab.dt[id] || G, G); // the query is (most of) the title
          ids.push([id, s]);
        });
        // Ties: procedures, then plans, then news, the newest first. Documents are
        // numbered in that order but news oldest first (a new item takes the next number
        // and the others keep theirs): among news the higher number wins.
        ids.sort(function (a, b) {
          return b[1] - a[1] || (vocab.dk[a[0]] === "n" && vocab.dk[b[0]] === "n" ? b[0] - a[0] : a[0] - b[0]);
        });
        return { ids: ids, partial: best < G };
      });
    });
  }

  function rows(ids) {
    return Promise.all(ids.map(function (x) {
      return loadChunk(Math.floor(x[0] / vocab.dc)).then(function (c) { return c[x[0] % vocab.dc]; });
    }));
  }

  /* ---- results ----------------------------------------------------------------- */
  var HL_RE = /\p{Nd}+(?:[.,]\p{Nd}+)+|[\p{L}\p{N}]+/gu;

  function highlight(el, text, terms) {
    var s = clean(text);
    var last = 0;
    s.replace(HL_RE, function (m, at) {
      var k = keyOf(exactForm(m.replace(/[.,]/g, "")));
      if (terms.some(function (t) { return t.prefix ? k.lastIndexOf(t.key, 0) === 0 : k === t.key; })) {
        el.appendChild(document.createTextNode(s.slice(last, at)));
        var mark = document.createElement("mark");
        mark.textContent = m;
        el.appendChild(mark);
        last = at + m.length;
      }
      return m;
    });
    el.appendChild(document.createTextNode(s.slice(last)));
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  function item(row, score, terms) {
    var url = row[0], title = row[1], kind = row[2], date = row[3], snippet = row[4], code = row[5];
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = new URL(url, siteBase).href;
    a.tabIndex = -1;
    var art = document.createElement("article");
    art.className = "md-search-result__article md-typeset cchc-search-result--" + kind;
    art.setAttribute("data-md-score", score.toFixed(3));
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    art.appendChild(icon);
    var h = document.createElement("h1");
    highlight(h, title, terms);
    art.appendChild(h);
    var k = document.createElement("p");
    k.className = "cchc-search-kind";
    var label = document.createElement("span");
    label.className = "cchc-search-kind__label";
    label.textContent = str("kind-" + kind) || kind;
    k.appendChild(label);
    var extra = kind === "procedure" ? code : formatDate(date);
    if (extra) {
      var x = document.createElement("span");
      if (kind === "procedure") highlight(x, extra, terms); else x.textContent = extra;
      k.appendChild(document.createTextNode(" · "));
      k.appendChild(x);
    }
    art.appendChild(k);
    if (snippet) {
      var p = document.createElement("p");
      highlight(p, snippet, terms);
      art.appendChild(p);
    }
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  var seq = 0;
  var current = null; // {ids, partial, shown, terms}

  // Words to highlight; one-letter words that only come from an abbreviation's
  // meaning ("y" of "bảo hiểm y tế") would light up everywhere, so they are left out.
  function termsOf(q) {
    var out = [];
    parse(q).forEach(function (g) {
      g.alts.forEach(function (alt) {
        alt.forEach(function (w) { if (!(w.syn && w.key.length < 2)) out.push(w); });
      });
    });
    return out;
  }

  function setMeta(text) {
    meta.textContent = text;
  }

  function showMore(mine) {
    var res = current;
    var slice = res.ids.slice(res.shown, res.shown + PAGE);
    return rows(slice).then(function (rs) {
      if (mine !== seq) return;
      var more = list.querySelector(".cchc-search-more");
      if (more) more.remove();
      rs.forEach(function (r, n) { if (r) list.appendChild(item(r, slice[n][1], res.terms)); });
      res.shown += slice.length;
      if (res.shown < res.ids.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item cchc-search-more";
        var b = document.createElement("button");
        b.type = "button";
        b.className = "md-search-result__link cchc-search-more__button";
        b.tabIndex = -1; // reached with the arrow keys, like the results (Tab closes the search)
        b.textContent = str("more");
        b.addEventListener("click", function () { showMore(seq).then(function () { focusResult(res.shown - slice.length); }); });
        li.appendChild(b);
        list.appendChild(li);
      }
    });
  }

  function focusResult(n) {
    var links = list.querySelectorAll(".md-search-result__link");
    if (links[n]) links[n].focus();
  }

  function run() {
    var q = input.value;
    var mine = ++seq;
    if (!q.trim()) {
      list.textContent = "";
      setMeta(str("hint") || "");
      current = null;
      return Promise.resolve();
    }
    setMeta(str("loading"));
    return search(q).then(function (res) {
      if (mine !== seq) return;
      list.textContent = "";
      current = { ids: res.ids, partial: res.partial, shown: 0, terms: termsOf(q) };
      if (!res.ids.length) {
        setMeta(str("none"));
        root.setAttribute("data-cchc-search-state", "empty");
        return;
      }
      var count = res.ids.length === 1 ? str("one") : str("other", res.ids.length);
      setMeta(res.partial ? count + " — " + str("partial") : count);
      return showMore(mine).then(function () {
        if (mine === seq) root.setAttribute("data-cchc-search-state", "results");
        prefetchAll();
      });
    }).catch(function () {
      // Start afresh next time: the site may have been rebuilt under this page.
      vocabPromise = null;
      shards.clear();
      chunks.clear();
      if (mine === seq) {
        setMeta(str("error"));
        root.setAttribute("data-cchc-search-state", "error");
      }
    });
  }

  // Small indexes are fetched whole after the first search, so that later
  // searches work without the network (offline once loaded); large ones are not,
  // to spare metered connections.
  var prefetched = false;
  function prefetchAll() {
    if (prefetched || !vocab || vocab.bytes > 400000) return;
    if (navigator.connection && navigator.connection.saveData) return;
    prefetched = true;
    var go = function () {
      vocab.shards.forEach(function (_, i) { loadShard(i).catch(function () {}); });
      vocab.chunks.forEach(function (_, i) { loadChunk(i).catch(function () {}); });
    };
    (window.requestIdleCallback || setTimeout)(go);
  }

  /* ---- wiring: Material's behaviour and shortcuts ------------------------------ */
  root.setAttribute("data-str-hint", meta.firstChild ? meta.firstChild.textContent.trim() : "");
  // Like Material's setToggle: Material's own scripts (scroll lock on phones,
  // overlay) listen to the change event of the #__search checkbox.
  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    root.removeAttribute("data-cchc-search-state");
    timer = setTimeout(run, 100);
  });
  input.addEventListener("focus", function () {
    setOpen(true);
    loadVocab().catch(function () {});
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a.md-search-result__link");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  root.addEventListener("click", function (e) {
    if (e.target instanceof Element && e.target.closest("a")) setOpen(false);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
      else input.blur();
    });
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    var open = toggle ? toggle.checked : document.activeElement === input;
    var active = document.activeElement;
    if (!open) {
      if ((e.key === "f" || e.key === "s" || e.key === "/") && !editable(active)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    switch (e.key) {
      case "Enter":
        if (active === input) {
          e.preventDefault();
          var first = list.querySelector("a.md-search-result__link");
          if (first) first.click();
        }
        break;
      case "Escape":
      case "Tab":
        setOpen(false);
        input.blur();
        break;
      case "ArrowUp":
      case "ArrowDown":
        var els = [input].concat(Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")));
        var i = Math.max(0, els.indexOf(active));
        els[(i + els.length + (e.key === "ArrowUp" ? -1 : 1)) % els.length].focus();
        e.preventDefault();
        break;
      default:
        if (e.key.length === 1 && active !== input && !editable(active)) input.focus();
    }
  });
})();
