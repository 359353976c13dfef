import { launch, serveDir } from './serve.mjs';
const [out, rel, dest, width, sel] = process.argv.slice(2);
const server = await serveDir(out);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: +width, height: 1000 } });
await page.goto(server.site + rel, { waitUntil: 'load' });
await page.locator(sel).first().scrollIntoViewIfNeeded();
await page.screenshot({ path: dest });
await browser.close(); server.close();
