// A static server for the browser tests: a built site over HTTP on loopback, with
// range requests as every static server answers them (the search index needs
// them), and Debian's Chromium launched through playwright-core.
import { createServer } from 'node:http';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.bin': 'application/octet-stream',
  '.xml': 'application/xml', '.svg': 'image/svg+xml' };

/// Serve folder `out`; resolves to { site: 'http://127.0.0.1:PORT/', close() }.
export async function serveDir(out) {
  const server = createServer((req, res) => {
    let file = path.join(out, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(out)) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    const type = types[path.extname(file)] || 'application/octet-stream';
    // Only the bytes a range asks for are read.
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
    let status = 200, headers = { 'content-type': type }, body;
    try {
      if (range) {
        const size = statSync(file).size, start = Number(range[1]), end = Math.min(Number(range[2]) + 1, size);
        body = Buffer.alloc(Math.max(0, end - start));
        const fd = openSync(file, 'r');
        try { readSync(fd, body, 0, body.length, start); } finally { closeSync(fd); }
        status = 206;
        headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
      } else {
        body = readFileSync(file);
      }
    } catch { status = 404; headers = {}; body = 'not found'; }
    res.writeHead(status, headers).end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { site: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/// Debian's Chromium (CHROMIUM overrides the path), never a downloaded browser.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
