// Pagefind in headless Debian Chromium, served from loopback without compression.
//
//   node pf_browser.mjs SITE_DIR < {"queries":[...], "recall":[...]} > answers.json
//
// For each query: a new browser context (empty HTTP cache) opens /index.html, then
//   import('/pagefind/pagefind.js'); init(); search(q); data() of the first 10 results.
// Bytes are counted on the server (every response body it sends, so requests made
// from workers count too); files under /pagefind/ are served as stored (Pagefind's
// own gzip-compressed .pf_* files, no HTTP compression, no cache headers).
// Then the next query on the same page ("warm").
// "recall": on one page, search(q) and return every result id (= fragment name).
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// playwright-core as installed beside the work folder (the current directory).
const require = createRequire(path.join(process.cwd(), 'package.json'));
const { chromium } = require('playwright-core');

const root = path.resolve(process.argv[2]);
const req = JSON.parse(readFileSync(0, 'utf8'));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm' };

let log = [];
const server = createServer((rq, res) => {
  const p = decodeURIComponent(new URL(rq.url, 'http://x').pathname);
  let file = path.join(root, p);
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 */ }
  try {
    const body = readFileSync(file);
    log.push({ p, bytes: body.length });
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
  } catch { log.push({ p, bytes: 0, status: 404 }); res.writeHead(404).end(); }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const site = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

const settle = (ms) => new Promise((ok) => setTimeout(ok, ms));
function take() {
  const l = log; log = [];
  const kind = (p) => (p.endsWith('.pf_fragment') ? 'fragment' : p.endsWith('.pf_index') ? 'index'
    : p.endsWith('.pf_meta') ? 'meta' : p.includes('wasm') ? 'wasm' : p.endsWith('.js') ? 'js' : 'other');
  const by = {};
  for (const e of l) { const k = kind(e.p); by[k] = by[k] || { files: 0, bytes: 0 }; by[k].files++; by[k].bytes += e.bytes; }
  return { bytes: l.reduce((a, e) => a + e.bytes, 0), files: l.length, by, missing: l.filter((e) => e.status).map((e) => e.p) };
}

async function run(page, q) {
  return page.evaluate(async (q) => {
    const t0 = performance.now();
    if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init?.(); }
    const t1 = performance.now();
    const s = await window.__pf.search(q);
    const t2 = performance.now();
    const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
    const t3 = performance.now();
    return { results: s.results.length, urls: data.map((d) => d.url), titles: data.map((d) => d.meta?.title),
      init_ms: t1 - t0, search_ms: t2 - t1, data_ms: t3 - t2, ms: t3 - t1, total_ms: t3 - t0 };
  }, q);
}

const out = { queries: [], recall: [] };
try {
  const qs = req.queries || [];
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i], next = qs[(i + 1) % qs.length];
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(site + '/index.html');
    await settle(100);
    log = [];
    const cold = await run(page, q);
    await settle(300); // count anything still in flight
    cold.net = take();
    const warm = await run(page, next);
    await settle(300);
    warm.net = take();
    out.queries.push({ query: q, cold, warm: { query: next, ...warm } });
    await ctx.close();
  }
  if ((req.recall || []).length) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(site + '/index.html');
    for (const q of req.recall) {
      const r = await page.evaluate(async (q) => {
        if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init?.(); }
        const s = await window.__pf.search(q);
        return { results: s.results.length, ids: s.results.map((r) => r.id) };
      }, q);
      out.recall.push({ query: q, ...r });
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(out));
