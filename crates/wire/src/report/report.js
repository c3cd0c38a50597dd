"use strict";
// reprint report: renders the views from the JSON embedded in this file
// (a folder report: from the overview here and, per story, the data file
// data/bK.js beside it, loaded by a script element when the story opens).
// Nothing is fetched from the network. Views: #/ (overview), #/story/N,
// #/compare/N/A/B (A and B are document numbers).
(function () {
  const DATA = JSON.parse(document.getElementById("data").textContent);
  const DOCS = DATA.documents; // [{id,title,date,date_source,source,url,chars,cluster,story}]
  const STORIES = DATA.stories; // [{story,thread,size,first_seen,label}]
  const PAGE = 100;
  const cache = new Map();
  const view = document.getElementById("view");
  const crumbs = document.getElementById("crumbs");
  const state = { sort: "size", dir: -1, filter: "", page: 0 };

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  const svg = (tag, attrs, ...kids) => {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const kid of kids.flat(Infinity)) if (kid) e.append(kid);
    return e;
  };
  const fmt = (x, d = 3) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));
  const rel = (r) => el("span", { class: "rel rel-" + r, text: r.replace("_", " ") });
  // A document's short name: its title, else its id (for paths, the file name).
  const docName = (i) => DOCS[i].title || DOCS[i].id.split("/").pop();

  // A story's data; undefined while its data file loads (the view is drawn
  // again when it has).
  const BLOCKS = DATA.blocks || null;
  const requested = new Set();
  window.reprintBlock = (stories) => {
    for (const [n, payload] of Object.entries(stories)) cache.set(Number(n), payload);
    route();
  };
  function story(n) {
    if (cache.has(n)) return cache.get(n);
    const node = document.getElementById("s" + n);
    const block = BLOCKS ? BLOCKS[n] : null;
    if (node || block === null || block === undefined) {
      cache.set(n, node ? JSON.parse(node.textContent) : null);
      return cache.get(n);
    }
    if (!requested.has(block)) {
      requested.add(block);
      const script = document.createElement("script");
      script.src = "data/b" + block + ".js";
      script.onerror = () => view.replaceChildren(el("h1", { text: "Missing data" }),
        el("p", {}, `The file ${script.src} could not be read: keep the report's data folder beside index.html.`));
      document.head.append(script);
    }
    return undefined;
  }
  const loading = () => view.replaceChildren(el("p", { class: "muted", text: "Loading the story…" }));

  // ---------------------------------------------------------------- overview
  function overview() {
    crumbs.textContent = "";
    const s = DATA.summary;
    const counts = el("ul", { class: "counts" },
      el("li", {}, el("b", { text: s.documents }), "documents"),
      el("li", {}, el("b", { text: s.stories }), "stories"),
      el("li", {}, el("b", { text: s.multi_stories }), "stories with 2+ versions"),
      el("li", {}, el("b", { text: s.clusters }), "near-duplicate clusters"),
      ...Object.entries(s.relations).sort().map(([k, v]) => el("li", {}, el("b", { text: v }), k.replace("_", " "))));
    const filter = el("input", {
      type: "search", id: "filter", placeholder: "filter stories by label or document id", value: state.filter,
      "aria-label": "filter stories",
      oninput: (e) => { state.filter = e.target.value; state.page = 0; fill(); },
    });
    const multi = el("input", { type: "checkbox", id: "multi", checked: state.multi !== false, onchange: (e) => { state.multi = e.target.checked; state.page = 0; fill(); } });
    const tbody = el("tbody");
    const pager = el("div", { class: "pager" });
    const header = (key, label, cls) => {
      const b = el("button", {
        onclick: () => { state.dir = state.sort === key ? -state.dir : (key === "label" ? 1 : -1); state.sort = key; fill(); },
      }, label);
      b.dataset.key = key;
      return el("th", { class: cls, scope: "col" }, b);
    };
    const table = el("table", { id: "stories" },
      el("thead", {}, el("tr", {}, header("story", "#", "num"), header("label", "label"), header("size", "versions", "num"), header("thread", "thread", "num"), header("first_seen", "first seen"))),
      tbody);
    function fill() {
      const q = state.filter.trim().toLowerCase();
      let rows = STORIES.filter((st) => (state.multi === false || st.size > 1) &&
        (!q || st.label.toLowerCase().includes(q) || st.documents.some((d) => DOCS[d].id.toLowerCase().includes(q))));
      const k = state.sort;
      rows.sort((a, b) => {
        const x = a[k], y = b[k];
        if (x === y) return a.story - b.story;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * state.dir;
      });
      const pages = Math.max(1, Math.ceil(rows.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      tbody.replaceChildren(...rows.slice(state.page * PAGE, (state.page + 1) * PAGE).map((st) =>
        el("tr", {},
          el("td", { class: "num" }, st.story),
          el("td", {}, el("a", { href: "#/story/" + st.story }, st.label || "(no label)")),
          el("td", { class: "num" }, st.size),
          el("td", { class: "num" }, st.thread),
          el("td", {}, st.first_seen || el("span", { class: "muted", text: "undated" })))));
      for (const b of table.querySelectorAll("th button")) {
        b.setAttribute("aria-sort", b.dataset.key === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "none");
      }
      pager.replaceChildren(
        el("button", { disabled: state.page === 0, onclick: () => { state.page--; fill(); } }, "‹ previous"),
        el("span", {}, `page ${state.page + 1} of ${pages} · ${rows.length} stories`),
        el("button", { disabled: state.page >= pages - 1, onclick: () => { state.page++; fill(); } }, "next ›"));
    }
    view.replaceChildren(
      el("h1", { text: "Overview" }), counts,
      el("h2", { text: "Stories" }),
      el("div", { class: "toolbar" }, filter, el("label", {}, multi, " only stories with 2 or more versions")),
      table, pager);
    fill();
  }

  // ---------------------------------------------------------------- story
  function timeline(docs) {
    const dated = docs.filter((d) => DOCS[d].date);
    if (!dated.length) return null;
    const t = (d) => Date.parse(DOCS[d].date + "T00:00:00Z") / 864e5;
    const lo = Math.min(...dated.map(t)), hi = Math.max(...dated.map(t));
    const W = 900, H = 40 + 22 * dated.length, x0 = 40, x1 = W - 40;
    const x = (d) => (hi === lo ? (x0 + x1) / 2 : x0 + (x1 - x0) * (t(d) - lo) / (hi - lo));
    const sorted = dated.slice().sort((a, b) => t(a) - t(b) || a - b);
    return svg("svg", { class: "timeline", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "versions on a timeline" },
      svg("line", { class: "axis", x1: x0, x2: x1, y1: 20, y2: 20 }),
      svg("text", { x: x0, y: 14, text: DOCS[sorted[0]].date }),
      hi !== lo ? svg("text", { x: x1 - 70, y: 14, text: DOCS[sorted[sorted.length - 1]].date }) : null,
      sorted.map((d, k) => svg("g", {},
        svg("circle", { cx: x(d), cy: 20, r: 5 }),
        svg("line", { class: "axis", x1: x(d), x2: x(d), y1: 25, y2: 34 + 22 * k }),
        // Labels run away from the nearer edge.
        svg("text", x(d) > W / 2
          ? { x: x(d) - 4, y: 38 + 22 * k, "text-anchor": "end", text: `${DOCS[d].date}  ${docName(d)}`.slice(0, 90) }
          : { x: x(d) + 4, y: 38 + 22 * k, text: `${DOCS[d].date}  ${docName(d)}`.slice(0, 90) }))));
  }

  function graph(docs, prov) {
    if (!prov || !prov.edges || !prov.edges.length) return null;
    const order = prov.order ? prov.order.map((o) => o.doc) : docs;
    const W = 900, rowH = 34, H = 20 + rowH * order.length;
    const y = new Map(order.map((d, k) => [d, 20 + rowH * k]));
    const nodes = order.map((d) => svg("g", { class: "node" },
      svg("rect", { x: 10, y: y.get(d) - 12, width: 330, height: 24, rx: 4 }),
      svg("text", { x: 18, y: y.get(d) + 4, text: `${DOCS[d].date || "undated"} · ${docName(d)}`.slice(0, 52) })));
    const edges = prov.edges.map((e, k) => {
      const ya = y.get(e.source), yb = y.get(e.derived);
      if (ya === undefined || yb === undefined) return null;
      const bend = 360 + 40 * (k % 8);
      const path = `M340 ${ya} C ${bend} ${ya}, ${bend} ${yb}, 340 ${yb}`;
      const und = e.direction === "undetermined";
      return svg("g", {},
        svg("path", { class: "edge" + (und ? " undetermined" : ""), d: path }),
        und ? null : svg("polygon", { class: "head", points: `340,${yb} 350,${yb - 5} 350,${yb + 5}` }),
        svg("text", { class: "label", x: bend + 4, y: (ya + yb) / 2 + 4, text: und ? `${e.kind.replace("_", " ")}, undetermined` : `${e.kind.replace("_", " ")} ${fmt(e.confidence, 2)}` }));
    });
    return svg("svg", { class: "graph", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "provenance graph" }, nodes, edges);
  }

  function storyView(n) {
    const meta = STORIES[n];
    if (!meta) return notFound();
    crumbs.replaceChildren("› ", el("a", { href: "#/story/" + n }, "story " + n));
    const data = story(n);
    if (data === undefined) return loading();
    const docs = meta.documents;
    const parts = [el("h1", { text: meta.label || "Story " + n }),
      el("p", { class: "muted" }, `${docs.length} version${docs.length === 1 ? "" : "s"}` + (meta.first_seen ? ` · first seen ${meta.first_seen}` : " · undated"))];
    const siblings = STORIES.filter((st) => st.thread === meta.thread && st.story !== meta.story);
    if (siblings.length) {
      parts.push(el("p", { class: "thread" }, el("b", { text: `Thread ${meta.thread}` }),
        ` (the same topic, other events): `,
        siblings.slice(0, 50).map((st, k) => [k ? " · " : "", el("a", { href: "#/story/" + st.story }, st.label || "story " + st.story),
          st.first_seen ? ` (${st.first_seen})` : ""]),
        siblings.length > 50 ? ` and ${siblings.length - 50} more` : ""));
    }
    parts.push(el("h2", { text: "Versions" }));
    const tl = timeline(docs);
    if (tl) parts.push(tl);
    const undated = docs.filter((d) => !DOCS[d].date);
    if (undated.length) parts.push(el("p", {}, el("b", { text: "Undated: " }), undated.map((d, k) => [k ? ", " : "", docName(d)])));
    parts.push(el("div", { class: "scroll" }, el("table", { id: "versions" },
      el("thead", {}, el("tr", {}, ["document", "title", "date", "source", "characters", "near-duplicate cluster"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, docs.map((d) => el("tr", { "data-doc": d },
        el("td", {}, DOCS[d].id), el("td", {}, DOCS[d].title || ""),
        el("td", { class: "date" }, DOCS[d].date ? `${DOCS[d].date} (${DOCS[d].date_source})` : el("span", { class: "muted", text: "undated" })),
        el("td", {}, DOCS[d].source || DOCS[d].url || ""),
        el("td", { class: "num" }, DOCS[d].chars),
        el("td", {}, DOCS[DOCS[d].cluster] ? docName(DOCS[d].cluster) : "")))))));
    if (data) {
      parts.push(el("h2", { text: "Provenance" }));
      const g = graph(docs, data.provenance);
      if (g) parts.push(g);
      const edges = (data.provenance && data.provenance.edges) || [];
      parts.push(edges.length ? el("table", { id: "provenance" },
        el("thead", {}, el("tr", {}, ["likely source", "derived", "kind", "confidence", "evidence"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, edges.map((e) => el("tr", { class: e.direction === "undetermined" ? "undetermined" : "" },
          el("td", {}, e.direction === "undetermined" ? [docName(e.source), " ?"] : docName(e.source)), el("td", {}, docName(e.derived)),
          el("td", {}, e.kind.replace("_", " ")), el("td", { class: "num" }, e.direction === "undetermined" ? "undetermined" : fmt(e.confidence, 2)),
          el("td", {}, el("ul", { class: "evidence" }, (e.evidence || []).map((t) => el("li", { text: t }))))))))
        : el("p", { class: "muted", text: "No provenance could be inferred." }));
      parts.push(el("h2", { text: "Pairs" }));
      parts.push(el("div", { class: "scroll" }, el("table", { id: "pairs" },
        el("thead", {}, el("tr", {}, ["A", "B", "relation", "5-gram Jaccard", "A inside", "B inside", "semantic", "paraphrases", "spin", "score", "shared names", ""].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, data.pairs.map((p, k) => el("tr", {},
          el("td", {}, docName(p.a)), el("td", {}, docName(p.b)), el("td", {}, rel(p.relation)),
          el("td", { class: "num" }, fmt(p.jaccard)), el("td", { class: "num" }, fmt(p.containment_a, 2)),
          el("td", { class: "num" }, fmt(p.containment_b, 2)), el("td", { class: "num" }, fmt(p.semantic)),
          el("td", { class: "num" }, p.passages.filter((x) => x.kind === "paraphrase").length),
          el("td", { class: "num" }, fmt(p.spin_score, 2)), el("td", { class: "num" }, fmt(p.score, 2)),
          el("td", {}, (p.shared_names || []).slice(0, 6).join(", ")),
          el("td", {}, el("a", { href: `#/compare/${n}/${p.a}/${p.b}` }, "compare"))))))));
    }
    view.replaceChildren(...parts);
  }

  // ---------------------------------------------------------------- compare
  // Offsets are Unicode code points; JavaScript strings are UTF-16.
  function codePointIndex(text) {
    if (!/[\uD800-\uDBFF]/.test(text)) return (i) => i;
    const map = [];
    let u = 0;
    for (const ch of text) { map.push(u); u += ch.length; }
    map.push(u);
    return (i) => map[Math.min(i, map.length - 1)];
  }

  const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
  // Words of `s` with their UTF-16 ranges, lower-cased.
  const words = (s) => [...s.matchAll(WORD)].map((m) => ({ w: m[0].toLowerCase(), s: m.index, e: m.index + m[0].length }));

  // Marks, in each of two word lists, the words outside their longest common
  // subsequence (the edits of an edited passage). Quadratic; capped.
  function edits(wa, wb) {
    const n = wa.length, m = wb.length;
    if (n * m > 4e6) return [new Set(), new Set()];
    const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
      L[i][j] = wa[i].w === wb[j].w ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    const ka = new Set(), kb = new Set();
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (wa[i].w === wb[j].w) { i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) ka.add(i++); else kb.add(j++);
    }
    while (i < n) ka.add(i++);
    while (j < m) kb.add(j++);
    return [ka, kb];
  }

  // Renders one side: `spans` are [start, end, kind, passageIndex] in UTF-16
  // units; boilerplate [start, end]; the rest is marked as addition when it
  // holds a word.
  function renderSide(text, spans, boiler, editMarks) {
    const cuts = new Set([0, text.length]);
    for (const [s, e] of spans) { cuts.add(s); cuts.add(e); }
    for (const [s, e] of boiler) { cuts.add(s); cuts.add(e); }
    const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const out = el("div", { class: "doctext" });
    for (let k = 0; k + 1 < points.length; k++) {
      const s = points[k], e = points[k + 1];
      const piece = text.slice(s, e);
      const p = spans.find(([a, b]) => a <= s && e <= b);
      if (p) {
        const node = el("span", { class: "p-" + p[2], "data-p": p[3], tabindex: 0, title: p[2] + " passage " + (p[3] + 1) });
        const marks = p[2] === "edited" ? editMarks.get(p[3]) : null;
        if (marks && marks.length) {
          let at = s;
          for (const [ms, me] of marks) {
            if (me <= s || ms >= e) continue;
            const a = Math.max(ms, s), b = Math.min(me, e);
            if (a > at) node.append(text.slice(at, a));
            node.append(el("span", { class: "edit", text: text.slice(a, b) }));
            at = b;
          }
          if (at < e) node.append(text.slice(at, e));
        } else node.textContent = piece;
        out.append(node);
      } else if (boiler.some(([a, b]) => a <= s && e <= b)) {
        out.append(el("span", { class: "boiler", title: "boilerplate (site furniture)", text: piece }));
      } else if (/[\p{L}\p{N}]/u.test(piece)) {
        out.append(el("span", { class: "addition", title: "only in this version", text: piece }));
      } else out.append(piece);
    }
    return out;
  }

  function compareView(n, a, b) {
    const data = story(n);
    if (data === undefined) return loading();
    if (!data) return notFound();
    const pair = data.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
    const text = (d) => (data.texts[String(d)] || {});
    if (!pair || text(a).text === undefined || text(b).text === undefined) return notFound();
    if (pair.a !== a) [a, b] = [b, a];
    crumbs.replaceChildren("› ", el("a", { href: "#/story/" + n }, "story " + n), " › compare");
    const ta = text(a).text, tb = text(b).text;
    const ia = codePointIndex(ta), ib = codePointIndex(tb);
    const sa = [], sb = [];
    const marksA = new Map(), marksB = new Map();
    pair.passages.forEach((p, k) => {
      const r = [ia(p.a_start), ia(p.a_end), ib(p.b_start), ib(p.b_end)];
      sa.push([r[0], r[1], p.kind, k]);
      sb.push([r[2], r[3], p.kind, k]);
      if (p.kind === "edited") {
        const wa = words(ta.slice(r[0], r[1])), wb = words(tb.slice(r[2], r[3]));
        const [ka, kb] = edits(wa, wb);
        marksA.set(k, [...ka].map((i) => [r[0] + wa[i].s, r[0] + wa[i].e]));
        marksB.set(k, [...kb].map((j) => [r[2] + wb[j].s, r[2] + wb[j].e]));
      }
    });
    const ba = (text(a).boilerplate || []).map(([s, e]) => [ia(s), ia(e)]);
    const bb = (text(b).boilerplate || []).map(([s, e]) => [ib(s), ib(e)]);
    const side = (d, t, spans, boiler, marks, cls) => el("section", { class: "side " + cls, "aria-label": docName(d) },
      el("h3", {}, docName(d), " ", el("span", { class: "muted" }, DOCS[d].date ? DOCS[d].date : "undated")),
      renderSide(t, spans, boiler, marks));
    const legend = el("div", { class: "legend" },
      el("span", { class: "p-verbatim", text: "verbatim" }), el("span", { class: "p-edited" }, "edited (", el("span", { class: "edit", text: "edits" }), ")"),
      el("span", { class: "p-paraphrase", text: "paraphrase" }), el("span", { class: "addition", text: "only in this version (added)" }),
      el("span", { class: "boiler", text: "boilerplate" }));
    const summary = el("p", {}, rel(pair.relation), ` · ${pair.passages.length} passages · A inside ${fmt(pair.containment_a, 2)} · B inside ${fmt(pair.containment_b, 2)} · 5-gram Jaccard ${fmt(pair.jaccard)}` + (pair.semantic !== null ? ` · semantic ${fmt(pair.semantic)}` : ""));
    const grid = el("div", { class: "compare" }, side(a, ta, sa, ba, marksA, "side-a"), side(b, tb, sb, bb, marksB, "side-b"));
    view.replaceChildren(el("h1", { text: "Compare" }), summary, legend, grid);
    grid.addEventListener("click", (e) => activate(e.target.closest("[data-p]")));
    grid.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(e.target.closest("[data-p]")); });
  }

  function activate(node, scroll) {
    if (!node) return;
    const k = node.dataset.p;
    for (const x of view.querySelectorAll("[data-p].active")) x.classList.remove("active");
    const all = view.querySelectorAll(`[data-p="${k}"]`);
    for (const x of all) x.classList.add("active");
    for (const x of all) if (x !== node || scroll) x.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function step(dir) {
    const firsts = [...view.querySelectorAll(".side-a [data-p]")];
    if (!firsts.length) return;
    const cur = view.querySelector(".side-a [data-p].active");
    let k = cur ? firsts.indexOf(cur) + dir : 0;
    k = (k + firsts.length) % firsts.length;
    firsts[k].focus();
    activate(firsts[k], true);
  }

  function notFound() {
    view.replaceChildren(el("h1", { text: "Not found" }), el("p", {}, el("a", { href: "#/" }, "back to the overview")));
  }

  function route() {
    const parts = location.hash.replace(/^#\/?/, "").split("/");
    if (parts[0] === "story" && parts.length >= 2) storyView(Number(parts[1]));
    else if (parts[0] === "compare" && parts.length >= 4) compareView(Number(parts[1]), Number(parts[2]), Number(parts[3]));
    else overview();
    view.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  document.addEventListener("keydown", (e) => {
    if (e.target.matches && e.target.matches("input, textarea")) return;
    if (e.key === "/") { const f = document.getElementById("filter"); if (f) { e.preventDefault(); f.focus(); } }
    else if (e.key === "g") location.hash = "#/";
    else if (e.key === "n") step(1);
    else if (e.key === "p") step(-1);
  });
  window.addEventListener("hashchange", route);
  route();
  // When the first view was drawn (ms after navigation start), for the
  // report-opening benchmark.
  document.documentElement.dataset.shownMs = String(Math.round(performance.now()));
})();
