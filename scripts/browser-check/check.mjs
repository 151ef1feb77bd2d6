// Browser check of a built tootbridge site (normally the payload site that
// `cargo test --test it -- --ignored export_payload_site_for_the_browser_check`
// writes): serves the folder on 127.0.0.1, opens every HTML page in Debian's
// headless Chromium through playwright-core, and fails on any dialog, any
// script that runs, any element with an event handler or a script URL in
// the DOM the browser built, and any request that leaves the local server.
//
// The page's own Content-Security-Policy is bypassed on purpose: the check is
// about what the sanitizer and the templates let through, not about the CSP
// that would also stop it.
//
// Usage: node scripts/browser-check/check.mjs DIR [PORT]   (PORT default 8765)

import { chromium } from 'playwright-core';
import { launchChromium, listPages, serveSite } from '../site-server.mjs';

const dir = process.argv[2];
const port = Number(process.argv[3] || 8765);
if (!dir) {
  console.error('usage: node check.mjs DIR [PORT]');
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;

const server = await serveSite(dir, port);

const findings = [];
let requests = 0;
let scripts = 0;

const browser = await launchChromium(chromium);
const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
// Every request is counted; only the local server is answered.
await context.route('**/*', (route) => {
  requests++;
  const url = route.request().url();
  if (url.startsWith(origin + '/')) return route.continue();
  findings.push(`request to ${url}`);
  return route.abort();
});
const page = await context.newPage();
let current = '';
page.on('dialog', async (dialog) => {
  findings.push(`${current}: ${dialog.type()} dialog "${dialog.message()}"`);
  await dialog.dismiss().catch(() => {});
});
page.on('pageerror', (error) => findings.push(`${current}: script error ${error.message}`));
// Every script the page itself runs (inline, external, event handler,
// javascript: URL) is parsed with the document's URL; our own evaluate()
// calls come without one.
const cdp = await context.newCDPSession(page);
await cdp.send('Debugger.enable');
cdp.on('Debugger.scriptParsed', (event) => {
  if (event.url && event.url.startsWith(origin)) {
    scripts++;
    findings.push(`${current}: script ran (${event.url} line ${event.startLine})`);
  }
});

const pages = await listPages(dir);
for (const path of pages) {
  current = path;
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  // Open every disclosure, then look at the DOM the browser built and let
  // hover, focus and click handlers have a chance to fire.
  const dom = await page.evaluate(() => {
    const out = [];
    const urlAttributes = ['href', 'src', 'poster', 'action', 'formaction', 'cite', 'data',
      'background', 'srcset', 'xlink:href', 'ping'];
    for (const d of document.querySelectorAll('details')) d.open = true;
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
        if (name.startsWith('on')) out.push(`<${el.localName} ${name}>`);
        if (urlAttributes.includes(name) && /(javascript|vbscript|data):/.test(value)) out.push(`<${el.localName} ${name}="${attr.value}">`);
      }
      const tag = el.localName;
      // The theme's schema.org metadata: a JSON data block in <head>, which
      // browsers never execute. Anything else named script is a finding.
      if (tag === 'script' && el.parentElement === document.head && !el.hasAttribute('src')
        && el.getAttribute('type') === 'application/ld+json') {
        try { JSON.parse(el.textContent); continue; } catch { out.push('<script> with invalid JSON-LD'); continue; }
      }
      // The embed frame's own <base target="_top"> (links open in the top
      // window); a <base> with a URL would change where every link points.
      if (tag === 'base' && el.parentElement === document.head && !el.hasAttribute('href')) continue;
      if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'base', 'style'].includes(tag)) {
        out.push(`<${tag}> element`);
      }
    }
    return out;
  });
  for (const f of dom) findings.push(`${path}: ${f}`);
  // Handlers that wait for a user: move the mouse over the toots and tab
  // through the page (an element with a handler is already a finding above).
  for (const el of (await page.$$('.toot-content a, .toot-content span, summary')).slice(0, 8)) {
    await el.hover({ timeout: 100, force: true }).catch(() => {});
  }
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
}

await browser.close();
server.close();
console.log(`browser check: ${pages.length} pages opened, ${requests} requests seen, ` +
  `${scripts} scripts ran, ${findings.length} findings`);
if (findings.length > 0) {
  for (const f of findings.slice(0, 200)) console.log(`  ${f}`);
  process.exit(1);
}
