// The clerk's desk in Debian's Chromium, used as a clerk who never saw YAML
// would: open the printed address, create a notice with a 文号, an attachment and
// a progress workbook, meet the duplicate-number error at its field, fix it,
// save, find the published page; edit a hand-written notice; meet a conflict.
// axe-core (WCAG 2.1 A/AA) at 1280 and 768 px, keyboard reach of every control,
// and no request to another host.
//
// argv[2]: unused (the site folder); stdin: {"desk": address with token,
// "attachment": file, "workbook": file, "hand": notice file to edit (relative
// to the site), "site": site folder, "screenshot": PNG path or null}.
// stdout: {"steps": {name: value}, "axe": [{width, view, violations}],
// "unreached": [controls the keyboard did not reach], "foreign": [URLs]}.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launch } from './serve.mjs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const origin = new URL(input.desk).origin;
const out = { steps: {}, axe: [], unreached: [], foreign: [] };

const browser = await launch();
try {
  // The desk's page forbids inline scripts; axe is injected past that rule.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('about:')) out.foreign.push(u);
  });
  page.on('pageerror', (e) => { out.steps.script_error = String(e); });
  const axe = async (view) => {
    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: 900 });
      if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
      const r = await page.evaluate(async () => (await window.axe.run(document,
        { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })).violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1 &&
        [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)));
      out.axe.push({ width, view, violations: r, overflow });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  const errorAt = (field) => page.locator(`#err-${field}`).innerText();
  const waitFor = async (fn, what) => {
    for (let i = 0; i < 100; i++) { if (await fn()) return true; await page.waitForTimeout(100); }
    throw new Error(`timed out waiting for ${what}: ${await page.innerText('#form-view').catch(() => '')}`);
  };

  await page.goto(input.desk);
  await page.waitForSelector('#notices tbody tr');
  out.steps.listed = await page.locator('#notices tbody tr').count();
  await axe('list');

  // A new notice, by keyboard where a clerk would type.
  await page.click('#new-notice');
  await page.waitForSelector('#in-title');
  await page.fill('#in-title', '关于做好2024年教育统计工作的通知');
  await page.selectOption('#in-issuer', '通榆县人民政府办公室');
  await page.selectOption('#in-genre', '通知');
  await page.fill('#in-doc_number', '通政办发');
  await page.fill('#doc-year', '2018');
  await page.fill('#doc-seq', '55');
  await page.fill('#in-written', '二〇二四年一月二日');
  await page.fill('#in-published', '2024-01-03');
  await page.fill('#in-body', '各有关部门：\n\n## 一、总体要求\n\n### （一）统计范围\n\n正文。\n');
  await waitFor(async () => /duplicate/.test(await errorAt('doc_number')), 'the duplicate 文号 error');
  out.steps.duplicate_error = await errorAt('doc_number');
  out.steps.duplicate_invalid = await page.getAttribute('#in-doc_number', 'aria-invalid');
  await page.click('#doc-next');
  out.steps.next_number = await page.inputValue('#doc-seq');
  await waitFor(async () => !/错误/.test(await errorAt('doc_number')), 'the error to clear');
  out.steps.doc_number_after = await errorAt('doc_number');
  await page.setInputFiles('#file-input', [input.attachment]);
  await waitFor(async () => (await page.locator('#file-list li').count()) === 1, 'the attachment');
  await page.setInputFiles('#file-input', [input.workbook]);
  await waitFor(async () => (await page.locator('#file-list li').count()) === 2, 'the workbook');
  await waitFor(async () => (await page.locator('#sheets table').count()) > 0, 'the sheets as read');
  out.steps.sheets = await page.locator('#sheets caption').allInnerTexts();
  await waitFor(async () => /统计范围/.test(await page.frameLocator('#preview').locator('body').innerText()), 'the preview');
  out.steps.preview_heading = await page.frameLocator('#preview').locator('h2').first().innerText();
  out.steps.written_normalised = await page.inputValue('#in-written');
  await axe('form');

  // Keyboard: Tab from the top reaches every visible, enabled control.
  const reached = new Set();
  await page.focus('#show-list');
  for (let i = 0; i < 400; i++) {
    const id = await page.evaluate(() => { const a = document.activeElement; return a ? (a.id || a.getAttribute('aria-label') || a.textContent.trim().slice(0, 20)) : ''; });
    reached.add(id);
    await page.keyboard.press('Tab');
  }
  const controls = await page.evaluate(() => [...document.querySelectorAll('#form-view input, #form-view select, #form-view textarea, #form-view button')]
    .filter((e) => !e.disabled && e.offsetParent !== null && e.type !== 'file')
    .map((e) => e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20)));
  out.unreached = controls.filter((c) => !reached.has(c));
  if (input.screenshot) {
    await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
    await page.screenshot({ path: input.screenshot, fullPage: false });
  }

  await page.click('#save');
  await waitFor(async () => (await page.locator('#save-status a').count()) > 0, 'the saved page');
  out.steps.saved = await page.innerText('#save-status');
  await page.click('#save-status a');
  await page.waitForLoadState();
  out.steps.published_title = await page.title();
  out.steps.published_has_number = (await page.content()).includes('通政办发〔2018〕56号');

  // Edit the hand-written notice: change its title only.
  await page.goto(input.desk);
  await page.waitForSelector('#notices tbody tr');
  await page.fill('#filter-text', '手写');
  await page.locator('#notices tbody button').first().click();
  await page.waitForSelector('#in-title');
  await page.fill('#in-title', '关于手写通知的修改标题');
  await page.click('#save');
  await waitFor(async () => /已保存/.test(await page.innerText('#save-status')), 'the edit saved');

  // A colleague changes the file while the form is open: shown, not overwritten.
  const hand = path.join(input.site, input.hand);
  const theirs = readFileSync(hand, 'utf8').replace('正文。', '同事修改的正文。');
  writeFileSync(hand, theirs);
  await page.fill('#in-title', '我又改了标题');
  await page.click('#save');
  await waitFor(async () => !(await page.locator('#conflict').isHidden()), 'the conflict');
  out.steps.conflict_disk = await page.innerText('#conflict-disk');
  out.steps.conflict_mine = await page.innerText('#conflict-mine');
  out.steps.after_conflict = readFileSync(hand, 'utf8') === theirs;
  await axe('conflict');
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
