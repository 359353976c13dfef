// Runs the real assets/search.js of a built site under node, reading the index
// from disk and counting the bytes it fetches. Used by tests/search.rs and by
// bench/search.sh.
//
//   node tests/search/node.mjs OUT_DIR < requests.json > answers.json
//
// requests: [{"query": "…", "filters": {…}, "options": {…}, "cold": bool} | {"normalise": "…"}]
// answers:  one per request: {results: [...], total, exact, bytes, files, ms} or {normalised}
// (files: how many requests; bytes: the bytes they returned)
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';

const out = path.resolve(process.argv[2]);
let bytes = 0, files = 0;
globalThis.GONGKAI_BASE = pathToFileURL(out).href + '/search/';
// Answers range requests as a static server does (206 with the bytes asked for).
globalThis.fetch = async (url, init) => {
  try {
    const file = fileURLToPath(url);
    const range = /^bytes=(\d+)-(\d+)$/.exec((init && init.headers && init.headers.Range) || '');
    let body, status = 200;
    if (range) {
      // Only the bytes asked for are read, as a server would (the files can be large).
      const start = Number(range[1]), end = Math.min(Number(range[2]) + 1, statSync(file).size);
      body = Buffer.alloc(Math.max(0, end - start));
      const fd = openSync(file, 'r');
      try { readSync(fd, body, 0, body.length, start); } finally { closeSync(fd); }
      status = 206;
    } else {
      body = readFileSync(file);
    }
    bytes += body.length;
    files += 1;
    return new Response(body, { status });
  } catch {
    return new Response('', { status: 404 });
  }
};
const script = readFileSync(path.join(out, 'assets', 'search.js'), 'utf8');
new Function(script)();
const requests = JSON.parse(readFileSync(0, 'utf8'));
const root = pathToFileURL(out).href + '/';
const answers = [];
for (const r of requests) {
  if ('normalise' in r) {
    await globalThis.gongkai.ready();
    answers.push({ normalised: globalThis.gongkai.normalise(r.normalise) });
    continue;
  }
  // cold: a fresh copy of the script, as on a newly opened page (nothing cached).
  if (r.cold) new Function(script)();
  const before = bytes, beforeFiles = files, t0 = performance.now();
  try {
    const found = await globalThis.gongkai.search(r.query, r.filters || {}, r.options || {});
    answers.push({
      results: found.map((x) => ({ ...x, url: x.url.startsWith(root) ? x.url.slice(root.length) : x.url })),
      total: found.total, exact: found.exact, bytes: bytes - before, files: files - beforeFiles,
      ms: performance.now() - t0,
    });
  } catch (e) {
    answers.push({ error: String(e.message || e) });
  }
}
process.stdout.write(JSON.stringify(answers));
