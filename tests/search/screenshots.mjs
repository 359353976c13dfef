// Screenshots of a built site in Debian's Chromium: each page kind as a phone
// (360 px), a desktop (1280 px) and printed (A4 media), the first screen of each.
//
//   node tests/search/screenshots.mjs OUT_DIR DEST [page …]
//
// Without pages: the home page, a notice, a browse index and list, the dashboard,
// search, a data file's source view, the site map and a standing page (the first of
// each found).
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { launch, serveDir } from './serve.mjs';

const out = path.resolve(process.argv[2]);
const dest = path.resolve(process.argv[3]);
mkdirSync(dest, { recursive: true });
const walk = (dir) => readdirSync(dir).flatMap((n) => {
  const p = path.join(dir, n);
  return statSync(p).isDirectory() ? walk(p) : [path.relative(out, p).split(path.sep).join('/')];
});
const all = walk(out).filter((p) => p.endsWith('.html')).sort();
const first = (re) => all.find((p) => re.test(p));
const pages = process.argv.length > 4 ? process.argv.slice(4) : [
  'index.html', first(/^notices\/[^/]+\/index\.html$/) || first(/\/index\.html$/), first(/^years\/index\.html$/),
  first(/^issuers\/[^/]+\/index\.html$/), 'progress/index.html', 'search/index.html', first(/\.yaml\.html$|\.csv\.html$/),
  'map/index.html', first(/^pages\/[^/]+\/index\.html$/),
].filter(Boolean);
const server = await serveDir(out);
const browser = await launch();
const name = (rel) => rel.replace(/\/index\.html$/, '').replace(/\.html$/, '').replace(/[^\w\u4e00-\u9fff.-]+/g, '-') || 'home';
try {
  for (const [kind, viewport, media] of [['phone', { width: 360, height: 760 }, 'screen'],
    ['desktop', { width: 1280, height: 900 }, 'screen'], ['print', { width: 794, height: 1123 }, 'print']]) {
    const page = await browser.newPage({ viewport });
    await page.emulateMedia({ media });
    for (const rel of pages) {
      await page.goto(server.site + rel, { waitUntil: 'load' });
      const file = path.join(dest, `${name(rel)}-${kind}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
