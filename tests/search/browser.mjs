// Drives Debian's Chromium (never a downloaded browser) through the search page of
// a built site, served over HTTP from loopback, with playwright-core.
//
//   node tests/search/browser.mjs OUT_DIR < requests.json > answers.json
//
// requests: {"api": [{query, filters, options, cold}], "page": [query], "broken": query, "nojs": true}
// answers: {"api": [{urls, total, exact, ms}], "page": [{urls, status, marks}],
//           "broken": status text, "nojs": {text, links}, "foreign": [URLs requested outside the site]}
// CHROMIUM overrides the browser's path (default /usr/bin/chromium).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, serveDir } from './serve.mjs';

const out = path.resolve(process.argv[2]);
const requests = JSON.parse(readFileSync(0, 'utf8'));
const server = await serveDir(out);
const site = server.site;

const browser = await launch();
const answers = { api: [], page: [], foreign: [] };
const relative = (u) => (u.startsWith(site) ? u.slice(site.length) : u);
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(site)) answers.foreign.push(r.url()); });
  await page.goto(site + 'search/index.html');
  await page.waitForFunction(() => window.gongkai);
  for (const r of requests.api || []) {
    // cold: a newly opened search page, with nothing fetched yet.
    if (r.cold) { await page.goto(site + 'search/index.html'); await page.waitForFunction(() => window.gongkai); }
    answers.api.push(await page.evaluate(async ({ query, filters, options }) => {
      const t0 = performance.now();
      const found = await window.gongkai.search(query, filters || {}, options || {});
      return { urls: found.map((x) => x.url), total: found.total, exact: found.exact, ms: performance.now() - t0 };
    }, r));
    answers.api.at(-1).urls = answers.api.at(-1).urls.map(relative);
  }
  // The page as a citizen uses it: type, press Enter, read the list.
  for (const q of requests.page || []) {
    await page.goto(site + 'search/index.html');
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
    await page.waitForFunction(() => /找到|没有找到|尚未找到|出错/.test(document.getElementById('search-status').textContent));
    answers.page.push(await page.evaluate(() => ({
      urls: [...document.querySelectorAll('#search-results a.notice-title')].map((a) => a.href),
      status: document.getElementById('search-status').textContent,
      marks: [...document.querySelectorAll('#search-results mark')].map((m) => m.textContent),
      location: location.search,
    })));
    answers.page.at(-1).urls = answers.page.at(-1).urls.map(relative);
  }
  // The index cannot be read: the page says so and does not hang.
  if (requests.broken) {
    const p = await context.newPage();
    await p.route('**/search/index.json', (r) => r.fulfill({ status: 500, body: '' }));
    await p.goto(site + 'search/index.html?q=' + encodeURIComponent(requests.broken));
    await p.waitForFunction(() => /出错/.test(document.getElementById('search-status').textContent));
    answers.broken = await p.evaluate(() => document.getElementById('search-status').textContent);
  }
  if (requests.nojs) {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const p = await plain.newPage();
    await p.goto(site + 'search/index.html?q=教育');
    answers.nojs = await p.evaluate(() => {
      const box = document.querySelector('.search-nojs');
      return { text: box ? box.innerText : '', links: box ? [...box.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [],
        visible: !!box && box.getBoundingClientRect().height > 0 };
    });
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(answers));
