/* gongkai search: every notice whose text contains the query, as find-in-page
 * would, from the static index in search/ (see src/search/mod.rs). The API,
 * gongkai.search(query, filters, options), is documented in the README. */
(function (G) {
  'use strict';
  // Must match src/search/normalise.rs (tests compare them character by character).
  const IGNORED = [[0x80, 0xBF], [0xD7, 0xD7], [0xF7, 0xF7], [0x1680, 0x1680], [0x2000, 0x206F],
    [0x2190, 0x21FF], [0x2500, 0x257F], [0x25A0, 0x25FF], [0x3000, 0x3004], [0x3008, 0x3020],
    [0x3030, 0x3030], [0x303D, 0x303D], [0xFE10, 0xFE1F], [0xFE30, 0xFE6F], [0xFEFF, 0xFEFF],
    [0xFF5F, 0xFF65], [0xFFE0, 0xFFEE]];
  const FORMAT = 3;
  const script = G.document && G.document.currentScript;
  const base = G.GONGKAI_BASE || (script ? new URL('../search/', script.src).href : 'search/');
  const files = new Map(), ranges = new Map(), whole = new Map(), opened = new Map();
  let t2s = new Map();

  // A whole file, fetched once per page; a failed fetch may be retried.
  function get(path, as) {
    if (!files.has(path)) {
      const p = G.fetch(base + path).then((r) => {
        if (!r.ok) throw new Error('search index ' + path + ': HTTP ' + r.status);
        return r[as]();
      });
      p.catch(() => files.delete(path));
      files.set(path, p);
    }
    return files.get(path);
  }

  // Bytes [start, end) of a file, by a range request; a server that sends the
  // whole file instead is read whole, once.
  function range(path, start, end) {
    if (end <= start) return Promise.resolve(new Uint8Array(0));
    if (whole.has(path)) return whole.get(path).then((b) => b.subarray(start, end));
    const key = path + ':' + start + ':' + end;
    if (!ranges.has(key)) {
      const p = G.fetch(base + path, { headers: { Range: 'bytes=' + start + '-' + (end - 1) } }).then(async (r) => {
        if (!r.ok) throw new Error('search index ' + path + ': HTTP ' + r.status);
        const b = new Uint8Array(await r.arrayBuffer());
        if (r.status === 206) return b;
        whole.set(path, Promise.resolve(b));
        return b.subarray(start, end);
      });
      p.catch(() => ranges.delete(key));
      ranges.set(key, p);
    }
    return ranges.get(key);
  }

  async function ready() {
    const [meta, table] = await Promise.all([get('index.json', 'json'), get('t2s.txt', 'text')]);
    if (meta.format !== FORMAT) throw new Error('search index format ' + meta.format + ' is not this script\'s: reload the page');
    layout(meta);
    if (!folded) {
      for (let i = 0; i + 1 < table.length; i += 2) t2s.set(table.charCodeAt(i), table.charCodeAt(i + 1));
      // foldSlowly for every character, range by range.
      folded = new Int32Array(0x10000);
      for (let cp = 0; cp < 0x10000; cp++) folded[cp] = cp;
      for (let cp = 0; cp < 0x80; cp++) folded[cp] = foldSlowly(cp);
      for (let cp = 0xFF01; cp <= 0xFF5E; cp++) folded[cp] = foldSlowly(cp);
      folded[0x3000] = -1;
      for (const [lo, hi] of IGNORED) folded.fill(-1, lo, hi + 1);
      t2s.forEach((to, from) => { if (folded[from] >= 0) folded[from] = to; });
    }
    return meta;
  }
  function foldSlowly(cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    else if (cp === 0x3000) cp = 32;
    if (cp >= 65 && cp <= 90) cp += 32;
    if (cp < 0x80) return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) ? cp : -1;
    for (const [lo, hi] of IGNORED) if (cp >= lo && cp <= hi) return -1;
    return t2s.get(cp) || cp;
  }
  // Every character of the Basic Multilingual Plane folded, once (-1: ignored):
  // a search folds the whole text of each notice it checks.
  let folded = null;
  const utf16 = new TextDecoder('utf-16le');

  // The folded text, and with `positions` for each of its UTF-16 units where it
  // came from in `text` (from[k] to to[k]).
  function foldText(text, positions) {
    const n = text.length, units = new Uint16Array(n);
    const from = positions ? new Uint32Array(n) : null, to = positions ? new Uint32Array(n) : null;
    let k = 0;
    for (let i = 0; i < n;) {
      let cp = text.charCodeAt(i), w = 1;
      if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xDC00 && lo < 0xE000) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); w = 2; }
      }
      const f = cp < 0x10000 && folded ? folded[cp] : foldSlowly(cp);
      if (f >= 0) {
        const start = k;
        if (f > 0xFFFF) { units[k++] = 0xD800 + ((f - 0x10000) >> 10); units[k++] = 0xDC00 + ((f - 0x10000) & 0x3FF); }
        else units[k++] = f;
        if (positions) for (let j = start; j < k; j++) { from[j] = i; to[j] = i + w; }
      }
      i += w;
    }
    return { s: utf16.decode(units.subarray(0, k)), from, to };
  }

  function hash(cps) {
    let h = 0x811C9DC5;
    for (const cp of cps) h = Math.imul(h ^ cp, 0x01000193) >>> 0;
    return h;
  }

  function varint(b, pos) {
    let v = 0, mul = 1, x;
    do { x = b[pos.at++]; v += (x & 0x7F) * mul; mul *= 128; } while (x & 0x80);
    return v;
  }
  const le = (b, i, n) => { let v = 0; for (let k = n - 1; k >= 0; k--) v = v * 256 + b[i + k]; return v; };

  // Each number of a list of numbers below `docs` (see src/search/codec.rs).
  function each(b, docs, fn) {
    const pos = { at: 1 }, kind = b[0], count = varint(b, pos);
    if ((kind & 3) === 1) {
      for (let i = pos.at; i < b.length; i++) if (b[i]) for (let k = 0; k < 8; k++) if (b[i] & (1 << k)) fn((i - pos.at) * 8 + k);
      return;
    }
    // Rice-coded gaps, of the numbers listed or (complement) of those left out.
    const k = kind >> 2, complement = (kind & 3) === 2;
    let bit = pos.at * 8, d = 0, from = 0;
    const next = () => (b[bit >> 3] >> (7 - (bit++ & 7))) & 1;
    for (let n = 0; n < count; n++) {
      let q = 0, r = 0;
      while (next()) q++;
      for (let j = 0; j < k; j++) r = r * 2 + next();
      d += q * 2 ** k + r;
      if (complement) { for (; from < d; from++) fn(from); from = d + 1; } else fn(d);
      d++;
    }
    if (complement) for (; from < docs; from++) fn(from);
  }
  // A part's list as a bitset of site-wide numbers, of the documents the part
  // holds (a revised notice is read from its latest part, not from an older one).
  function partList(meta, p, b) {
    const set = new Uint32Array(Math.ceil(meta.docs / 32));
    each(b, p.docs, (d) => { const g = p.global[d]; if (meta.owner[g] === p.index) add(set, g); });
    return set;
  }
  // The index's parts (src/search/mod.rs): each document's site-wide number, and
  // per site-wide number the last part that has it and its number there.
  function layout(meta) {
    if (meta.owner) return;
    meta.owner = new Int8Array(meta.docs).fill(-1);
    meta.local = new Int32Array(meta.docs);
    meta.parts.forEach((p, k) => {
      p.index = k;
      p.global = new Int32Array(p.docs);
      let i = 0;
      for (const [first, count, step] of p.runs) for (let j = 0; j < count; j++) p.global[i++] = first + j * step;
      p.global.forEach((g, l) => { meta.owner[g] = k; meta.local[g] = l; });
    });
  }
  const add = (set, d) => { set[d >>> 5] |= 1 << (d & 31); };
  const has = (set, d) => (set[d >>> 5] >>> (d & 31)) & 1;
  const and = (a, b) => a.map((w, i) => w & b[i]);
  const or = (a, b) => a.map((w, i) => w | b[i]);

  // Where a gram's lists are in part `p` (src/search/table.rs), or null.
  async function slot(p, cps) {
    const { size, window, slot: S, offset: o, length: n } = p.slots, start = hash(cps) % size;
    const b = await range(p.name + '/slots.bin', start * S, (start + window) * S);
    for (let i = 0; i + S <= b.length; i += S) {
      // Three code points of 21 bits, the first highest, in 8 bytes.
      const lo = le(b, i, 4), hi = le(b, i + 4, 4);
      const c = [(hi >>> 10) & 0x1FFFFF, ((lo >>> 21) | (hi << 11)) & 0x1FFFFF, lo & 0x1FFFFF];
      if (!c[0]) return null;
      if (c[0] === cps[0] && c[1] === (cps[1] || 0) && c[2] === (cps[2] || 0)) {
        return { p, at: le(b, i + 8, o), all: le(b, i + 8 + o, n), head: le(b, i + 8 + o + n, n) };
      }
    }
    return null;
  }

  async function lists(meta, slots) {
    const got = await Promise.all(slots.filter(Boolean).map(async (s) => {
      const b = await range(s.p.name + '/lists.bin', s.at, s.at + s.all + s.head);
      return [partList(meta, s.p, b.subarray(0, s.all)), partList(meta, s.p, b.subarray(s.all))];
    }));
    return { all: got.map((g) => g[0]).reduce(or), head: got.map((g) => g[1]).reduce(or) };
  }

  // The notices that may hold a term: a term of up to three characters is answered
  // by its own lists; a longer one by the `most` rarest of its runs of three.
  async function postings(meta, cps, most) {
    const none = () => new Uint32Array(Math.ceil(meta.docs / 32));
    const grams = [];
    if (cps.length <= 3) grams.push(cps);
    else for (let i = 0; i + 3 <= cps.length; i++) grams.push(cps.slice(i, i + 3));
    const slots = await Promise.all(grams.map((g) => Promise.all(meta.parts.map((p) => slot(p, g)))));
    if (slots.some((ss) => ss.every((s) => !s))) return { all: none(), head: none(), exact: true };
    const size = (ss) => ss.reduce((n, s) => n + (s ? s.all : 0), 0);
    const chosen = slots.slice().sort((a, b) => size(a) - size(b)).slice(0, Math.max(1, most));
    let all = null, head = null;
    for (const l of await Promise.all(chosen.map((ss) => lists(meta, ss)))) {
      all = all ? and(all, l.all) : l.all;
      head = head ? and(head, l.head) : l.head;
    }
    return { all, head, exact: grams.length === 1 };
  }

  async function facet(meta, kind, wanted) {
    const values = meta.facets[kind];
    if (!values) throw new Error('no such filter: ' + kind);
    const set = new Uint32Array(Math.ceil(meta.docs / 32));
    for (const v of [].concat(wanted)) {
      const e = values.find((x) => x[0] === String(v));
      if (!e) continue;
      each(await range('facets.bin', e[1], e[1] + e[2]), meta.docs, (d) => add(set, d));
    }
    return set;
  }

  // Compressed blocks of lines (src/search/texts.rs), each fetched and opened
  // once: those not yet asked for are fetched together, neighbours in one request.
  function blocks(path, wanted) {
    const fresh = wanted.filter(([at], i) => !opened.has(path + at) && wanted.findIndex((w) => w[0] === at) === i);
    const got = parts(path, fresh.map(([at, len]) => [at, at + len]), 2048);
    fresh.forEach(([at], i) => {
      const p = got.then((b) => new Response(new Blob([b[i]]).stream().pipeThrough(new DecompressionStream('deflate-raw')))
        .arrayBuffer()).then((x) => new Uint8Array(x));
      p.catch(() => opened.delete(path + at));
      opened.set(path + at, p);
    });
    return Promise.all(wanted.map(([at]) => opened.get(path + at)));
  }

  // Parts of a file, fetched with as few requests as their nearness allows, all
  // at once.
  async function parts(path, wanted, gap) {
    const sorted = wanted.map((r, i) => [r[0], r[1], i]).sort((a, b) => a[0] - b[0]), groups = [];
    for (let k = 0; k < sorted.length;) {
      let end = sorted[k][1], n = k + 1;
      while (n < sorted.length && sorted[n][0] - end <= gap) end = Math.max(end, sorted[n++][1]);
      groups.push([k, n, sorted[k][0], end]);
      k = n;
    }
    const got = await Promise.all(groups.map(([, , start, end]) => range(path, start, end))), out = [];
    groups.forEach(([k, n, start], g) => {
      for (; k < n; k++) out[sorted[k][2]] = got[g].subarray(sorted[k][0] - start, sorted[k][1] - start);
    });
    return out;
  }

  // Documents `ids`: their records and texts, each from the part that holds it.
  async function records(meta, ids) {
    const out = [];
    await Promise.all(meta.parts.map(async (p, k) => {
      const mine = ids.map((id, i) => i).filter((i) => meta.owner[ids[i]] === k);
      if (!mine.length) return;
      const docs = await partRecords(p, mine.map((i) => meta.local[ids[i]]));
      mine.forEach((i, j) => { out[i] = docs[j]; });
    }));
    return out;
  }

  // The same for part `p`: texts rebuilt from their lines.
  async function partRecords(p, ids) {
    const at = await parts(p.name + '/docs.idx', ids.map((id) => [id * 4, id * 4 + 8]), 1024);
    const raw = await parts(p.name + '/docs.bin', at.map((b) => [le(b, 0, 4), le(b, 4, 4)]), 2048);
    const dec = new TextDecoder();
    const docs = raw.map((b) => {
      const pos = { at: 0 };
      const str = () => { const n = varint(b, pos); pos.at += n; return dec.decode(b.subarray(pos.at - n, pos.at)); };
      const [url, date, title, number, index] = [str(), str(), str(), str(), str()];
      const issuers = Array.from({ length: varint(b, pos) }, str);
      const used = Array.from({ length: varint(b, pos) }, () => [varint(b, pos), varint(b, pos)]);
      const lines = Array.from({ length: varint(b, pos) }, () => [varint(b, pos), varint(b, pos), varint(b, pos)]);
      return { doc: { url, date, title, number, index, issuers }, used, lines };
    });
    const texts = await blocks(p.name + '/blocks.bin', docs.flatMap((d) => d.used));
    let k = 0;
    return docs.map(({ doc, used, lines }) => {
      const mine = texts.slice(k, k += used.length);
      doc.body = lines.map(([b, s, n]) => dec.decode(mine[b].subarray(s, s + n))).join('\n');
      return doc;
    });
  }

  const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const tidy = (s) => esc(s.replace(/\s+/g, ' '));

  // `text` from `start` to `end` as HTML, every occurrence of a term in <mark>.
  function mark(text, f, terms, start, end) {
    const hits = [];
    for (const t of terms) {
      for (let k = f.s.indexOf(t); k >= 0; k = f.s.indexOf(t, k + 1)) {
        const a = f.from[k], b = f.to[k + t.length - 1];
        if (a >= start && b <= end) hits.push([a, b]);
      }
    }
    hits.sort((x, y) => x[0] - y[0]);
    let out = '', at = start;
    for (const [a, b] of hits) {
      if (b <= at) continue;
      out += tidy(text.slice(at, Math.max(a, at))) + '<mark>' + tidy(text.slice(Math.max(a, at), b)) + '</mark>';
      at = b;
    }
    return out + tidy(text.slice(at, end));
  }

  function snippet(text, f, terms) {
    let first = -1;
    for (const t of terms) {
      const k = f.s.indexOf(t);
      if (k >= 0 && (first < 0 || f.from[k] < first)) first = f.from[k];
    }
    let start = first < 0 ? 0 : Math.max(0, first - 40);
    if (start && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    let end = Math.min(text.length, start + 140);
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
    return (start ? '…' : '') + mark(text, f, terms, start, end) + (end < text.length ? '…' : '');
  }

  // A candidate checked against its text: null when a term is missing.
  function check(doc, terms, id) {
    const head = [doc.title, doc.number, doc.number.split('第').join('')].map((s) => foldText(s).s);
    const body = foldText(doc.body, true);
    const rest = doc.issuers.concat([doc.index]).map((s) => foldText(s).s).concat([body.s]);
    let score = 0;
    for (const t of terms) {
      if (head.some((s) => s.includes(t))) score++;
      else if (!rest.some((s) => s.includes(t))) return null;
    }
    // Terms that are one string in the title or number (通政办发2018 55) rank higher still.
    if (terms.length > 1 && head.some((s) => s.includes(terms.join('')))) score++;
    const title = foldText(doc.title, true);
    return {
      url: new URL(doc.url, new URL('../', base)).href, title: doc.title, doc_number: doc.number,
      date: doc.date, issuers: doc.issuers, score, id,
      title_html: mark(doc.title, title, terms, 0, doc.title.length), snippet: snippet(doc.body, body, terms),
    };
  }

  const before = (r, c) => r.score > c.score || (r.score === c.score && r.id < c.id);
  const searches = new Map();

  async function prepare(query, filters) {
    const meta = await ready();
    // Composed (NFC) as the index's texts are: ō typed as o + ̄ finds ō.
    const terms = [...new Set(String(query || '').normalize('NFC').split(/[\s\u3000]+/).map((t) => foldText(t).s).filter(Boolean))];
    const kinds = Object.keys(filters || {}).filter((k) => filters[k] !== '' && filters[k] != null);
    const st = { meta, order: [], terms, exact: true, next: 0, found: [], rejected: 0 };
    if (!terms.length && !kinds.length) return st;
    let set = null;
    const heads = [], cps = (t) => Array.from(t, (c) => c.codePointAt(0));
    // About 8 lists for the whole query however many terms it has (a term needs
    // one at least): longer terms then give more candidates to check.
    const most = Math.max(1, Math.min(4, Math.floor(8 / terms.length)));
    const posts = await Promise.all(terms.map((t) => postings(meta, cps(t), most)));
    for (const p of posts) { set = set ? and(set, p.all) : p.all; heads.push(p.head); st.exact = st.exact && p.exact; }
    for (const k of kinds) { const f = await facet(meta, k, filters[k]); set = set ? and(set, f) : f; }
    const order = st.order;
    for (let d = 0; d < meta.docs; d++) if (has(set, d)) order.push({ id: d, score: heads.reduce((n, h) => n + has(h, d), 0) });
    // The bonus in check(), foreseen from the grams of the terms run together.
    if (terms.length > 1 && order.some((c) => c.score === terms.length)) {
      const joined = (await postings(meta, cps(terms.join('')), 4)).head;
      for (const c of order) c.score += has(joined, c.id);
    }
    order.sort((a, b) => (before(a, b) ? -1 : 1));
    return st;
  }

  // Check candidates in predicted order until `want` results are certain (no
  // unchecked candidate could rank above them), fetching at most `budget` texts.
  async function results(st, want, budget) {
    for (;;) {
      const bound = st.order[st.next];
      const sure = bound ? st.found.filter((r) => before(r, bound)).length : st.found.length;
      if (sure >= want || !bound || budget <= 0) return sure;
      const batch = st.order.slice(st.next, st.next + Math.min(budget, Math.max(want - sure, 4)));
      st.next += batch.length;
      budget -= batch.length;
      const docs = await records(st.meta, batch.map((c) => c.id));
      docs.forEach((doc, i) => {
        const r = check(doc, st.terms, batch[i].id);
        if (r) st.found.push(r); else st.rejected++;
      });
      st.found.sort((a, b) => (before(a, b) ? -1 : 1));
    }
  }

  async function search(query, filters, options) {
    const o = Object.assign({ offset: 0, limit: 10 }, options);
    if (o.budget == null) o.budget = o.limit + 10;
    const key = JSON.stringify([query, filters || {}]);
    if (!searches.has(key)) {
      searches.set(key, prepare(query, filters));
      searches.get(key).catch(() => searches.delete(key));
    }
    const st = await searches.get(key);
    const sure = await results(st, o.offset + o.limit, o.budget);
    const out = st.found.slice(o.offset, Math.min(sure, o.offset + o.limit)).map((r) => Object.assign({}, r));
    out.exact = st.exact || st.next >= st.order.length;
    out.total = st.order.length - st.rejected;
    out.complete = sure >= o.offset + o.limit || st.next >= st.order.length;
    return out;
  }

  G.gongkai = { search, normalise: (text) => foldText(String(text).normalize('NFC')).s, ready };

  // The search page: reads ?q=…&issuer=… so results can be linked and bookmarked.
  const doc = G.document;
  if (!doc) return;
  doc.addEventListener('DOMContentLoaded', () => {
    const form = doc.getElementById('search-form');
    if (!form) return;
    // Fetched while the reader types: the first search then waits for less.
    ready().catch(() => {});
    // The page's words, in the site's script: search.html writes them (#search-words).
    const words = doc.getElementById('search-words');
    const W = new Proxy(words ? JSON.parse(words.textContent) : {}, { get: (w, k) => w[k] || String(k) });
    const status = doc.getElementById('search-status'), list = doc.getElementById('search-results');
    const more = doc.getElementById('search-more'), params = new URLSearchParams(G.location.search);
    let run = 0, shown = 0;
    for (const el of form.elements) if (el.name && params.has(el.name)) el.value = params.get(el.name);

    async function show(append) {
      const mine = ++run, q = form.elements.q.value, filters = {};
      for (const el of form.elements) if (el.tagName === 'SELECT' && el.value) filters[el.name] = el.value;
      if (!append) { shown = 0; list.textContent = ''; }
      if (!q.trim() && !Object.keys(filters).length) { status.textContent = W.empty; more.hidden = true; return; }
      status.textContent = W.searching;
      try {
        const found = await search(q, filters, { offset: shown, limit: 10 });
        if (mine !== run) return;
        for (const r of found) {
          const li = doc.createElement('li');
          li.innerHTML = '<a class="notice-title" href="' + esc(r.url) + '">' + r.title_html + '</a>' +
            '<p class="notice-meta">' + (r.doc_number ? '<span>' + esc(r.doc_number) + '</span>' : '') +
            '<time datetime="' + r.date + '">' + r.date + '</time><span>' + esc(r.issuers.join('、')) + '</span></p>' +
            '<p class="snippet">' + r.snippet + '</p>';
          list.appendChild(li);
        }
        shown += found.length;
        const total = (found.exact ? W.exactly : W.at_most).replace('{n}', found.total);
        status.textContent = shown ? W.found.replace('{total}', total).replace('{shown}', shown)
          : found.complete ? W.none : W.partial;
        more.hidden = found.complete && (found.exact ? shown >= found.total : found.length < 10);
        more.textContent = found.complete ? W.more : W.go_on;
      } catch (e) {
        if (mine !== run) return;
        status.textContent = G.location.protocol === 'file:'
          ? W.from_disk
          : W.failed.replace('{error}', e.message);
      }
    }
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const el of form.elements) if (el.name && el.value) p.set(el.name, el.value);
      G.history.replaceState(null, '', '?' + p);
      show(false);
    });
    more.addEventListener('click', () => show(true));
    if (params.toString()) show(false);
  });
})(typeof window !== 'undefined' ? window : globalThis);
