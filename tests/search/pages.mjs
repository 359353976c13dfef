// Every HTML page of a built site in Debian's Chromium, as a citizen's phone and
// desktop show it: at each width, whether the page scrolls sideways (and what sticks
// out), text a reader needs set below 16 px on a phone, requests to other hosts, and
// axe-core's WCAG 2.1 A/AA violations.
//
//   node tests/search/pages.mjs OUT_DIR < request.json > answers.json
//
// request: {"pages": ["index.html", …], "widths": [320, 360, 1280], "axe": [360, 1280], "phone": 360,
//           "print": [pages to print], "tools": a notice page whose tools to try,
//           "qr": [pages whose QR code to read], "script": {"simplified": page, "traditional": page}}
// answers: {"pages": [{page, width, overflow: [what sticks out], small: [text under 16 px],
//           axe: [{id, nodes: [selector]}]}], "foreign": [URLs requested outside the site],
//           "print": [{page, visible: [navigation, buttons, forms still shown], url: the printed page URL line,
//                      pages: the body's height on A4 paper in pages, official: its length set as GB/T 9704
//                      sets it (22 lines of 28 characters a page)}],
//           "qr": [{page, width, height, grey: [the QR code as shown, one byte a pixel]}],
//           "script": {hant, remembered, original, hans: the page's text after 繁體, after a reload,
//                      after 原文, and the Traditional page after 简体; lang, note, ms: time to convert}
//           "tools": {buttons, before, larger, remembered: the text's size in px}}
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launch, serveDir } from './serve.mjs';

const out = path.resolve(process.argv[2]);
const request = JSON.parse(readFileSync(0, 'utf8'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const server = await serveDir(out);
const browser = await launch();
const answers = { pages: [], foreign: [] };
try {
  for (const width of request.widths) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    page.on('request', (r) => { if (!r.url().startsWith(server.site)) answers.foreign.push(r.url()); });
    for (const rel of request.pages) {
      await page.goto(server.site + rel, { waitUntil: 'load' });
      const seen = await page.evaluate((phone) => {
        const limit = document.documentElement.clientWidth;
        const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
          (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
        const overflow = [];
        if (document.documentElement.scrollWidth > limit) {
          for (const e of document.body.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            // The outermost element past the edge, not each of its children.
            if (r.right > limit + 1 && r.width > 0 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > limit + 1)) {
              overflow.push(`${name(e)} ends at ${Math.round(r.right)} px`);
            }
          }
          if (!overflow.length) overflow.push(`page is ${document.documentElement.scrollWidth} px wide`);
        }
        const small = [];
        if (phone) {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const e = t.parentElement;
            if (!t.textContent.trim() || !e || e.closest('svg, .visually-hidden, .skip, noscript')) continue;
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            const size = parseFloat(getComputedStyle(e).fontSize);
            if (size < 16) small.push(`${name(e)} ${size} px: ${t.textContent.trim().slice(0, 20)}`);
          }
        }
        return { overflow, small: [...new Set(small)] };
      }, width === request.phone);
      let axe = [];
      if (request.axe.includes(width)) {
        if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
        axe = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
          return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
        });
      }
      answers.pages.push({ page: rel, width, overflow: seen.overflow, small: seen.small, axe });
    }
    await context.close();
  }
  // The page tools of a notice: 字号 大 changes the text and is remembered.
  if (request.tools) {
    const screen = await browser.newPage();
    await screen.goto(server.site + request.tools, { waitUntil: 'load' });
    const size = () => screen.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.body')).fontSize));
    const before = await size();
    const buttons = await screen.evaluate(() => [...document.querySelectorAll('.page-tools button')].map((b) => b.textContent));
    await screen.click('.page-tools [data-size=l]');
    const larger = await size();
    await screen.reload({ waitUntil: 'load' });
    const remembered = await size();
    answers.tools = { buttons, before, larger, remembered };
    await screen.close();
  }
  // 简体 / 繁體: the whole page converted, remembered, and back to the original.
  if (request.script) {
    const reader = await browser.newPage();
    const text = () => reader.evaluate(() => document.body.innerText);
    await reader.goto(server.site + request.script.simplified, { waitUntil: 'load' });
    const before = await text();
    const started = Date.now();
    await reader.click('.script-switch [data-script=hant]');
    await reader.waitForFunction(() => document.documentElement.lang === 'zh-Hant');
    const ms = Date.now() - started;
    const hant = await text();
    const lang = await reader.evaluate(() => document.documentElement.lang);
    const note = await reader.evaluate(() => { const n = document.getElementById('zh-note'); return n && !n.hidden ? n.textContent : ''; });
    await reader.reload({ waitUntil: 'load' });
    await reader.waitForFunction(() => document.documentElement.lang === 'zh-Hant');
    const remembered = await text();
    await reader.click('.script-switch [data-script=""]');
    const original = await text();
    await reader.goto(server.site + request.script.traditional, { waitUntil: 'load' });
    await reader.click('.script-switch [data-script=hans]');
    await reader.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
    const hans = await text();
    await reader.click('.script-switch [data-script=""]');
    answers.script = { before, hant, remembered, original, hans, lang, note, ms };
    await reader.close();
  }
  // The QR code as the screen shows it, handed back as grey pixels for a decoder.
  answers.qr = [];
  const viewer = await browser.newPage();
  for (const rel of request.qr || []) {
    await viewer.goto(server.site + rel, { waitUntil: 'load' });
    const code = viewer.locator('figure.qr img');
    if (!(await code.count())) { answers.qr.push({ page: rel }); continue; }
    const png = (await code.screenshot()).toString('base64');
    const pixels = await viewer.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const rgba = g.getImageData(0, 0, c.width, c.height).data;
      const grey = [];
      for (let i = 0; i < rgba.length; i += 4) grey.push(Math.round((rgba[i] + rgba[i + 1] + rgba[i + 2]) / 3));
      return { width: c.width, height: c.height, grey };
    }, png);
    answers.qr.push({ page: rel, ...pixels });
  }
  await viewer.close();
  // Printed: no navigation, no buttons, no forms left on the paper; the body as
  // long as the official document, give or take. The window is the A4 type area
  // (156 × 225 mm at 96 px an inch) so lines break as on paper.
  answers.print = [];
  const paperContext = await browser.newContext({ viewport: { width: 590, height: 850 } });
  const paper = await paperContext.newPage();
  await paper.emulateMedia({ media: 'print' });
  for (const rel of request.print || []) {
    await paper.goto(server.site + rel, { waitUntil: 'load' });
    const visible = await paper.evaluate(() => [...document.querySelectorAll('nav, button, form, input, select, .site-header, .site-footer')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')));
    const url = await paper.evaluate(() => { const p = document.querySelector('.print-only'); return p && p.getBoundingClientRect().height > 0 ? p.textContent : ''; });
    const length = await paper.evaluate(() => {
      const body = document.querySelector('article.notice .body');
      if (!body) return { pages: 0, official: 0 }; // a withdrawn notice's page has no text
      let lines = 0;
      for (const block of body.querySelectorAll('p, h1, h2, h3, h4, h5, h6, li, td')) {
        if (block.querySelector('p, li, td')) continue; // counted in its own blocks
        lines += Math.max(1, Math.ceil(block.textContent.trim().length / 28));
      }
      return { pages: body.getBoundingClientRect().height / 850, official: lines / 22 };
    });
    answers.print.push({ page: rel, visible, url, ...length });
  }
  await paperContext.close();
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(answers));
