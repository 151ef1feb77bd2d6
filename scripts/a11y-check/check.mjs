// Accessibility check of a built tootbridge site (issue 6).
//
// Serves DIR on 127.0.0.1:PORT and opens pages in Debian's headless Chromium
// through playwright-core:
//
// 1. every HTML page once with the page's own Content-Security-Policy in
//    force: any console error (a CSP violation is one), script error or
//    request that leaves 127.0.0.1 is a finding; every page, the embed frame
//    included, must carry the same footer links (a labelled <nav> in the
//    <footer>, from [links] in site.toml);
// 2. the pages named in TARGETS in light and dark colour scheme at 320 px and
//    1280 px width, every other page in light mode at 1280 px: axe-core with
//    the WCAG 2.0/2.1 A and AA rules, every disclosure (<details>) opened so
//    the content behind a warning is checked too; plus no horizontal
//    scrolling at 320 px (WCAG 1.4.10) and with the text at 200 % (1.4.4);
// 3. with --screenshots OUT: PNGs of the index and of a toot page at 1280 px
//    and 320 px (light mode), clipped to the first 1600 px.
//
// Usage: node check.mjs DIR [PORT] [--screenshots OUT]   (PORT default 8790)
// Exit status 1 on any violation or finding.

import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { launchChromium, listPages, serveSite } from '../site-server.mjs';

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--screenshots');
const shotsDir = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [dir, portArg] = args;
if (!dir) {
  console.error('usage: node check.mjs DIR [PORT] [--screenshots OUT]');
  process.exit(2);
}
const port = Number(portArg || 8790);
const origin = `http://127.0.0.1:${port}`;

// Pages checked in every mode: the index, the showcase thread of run.sh
// (content warning, images and poll on one page), toot pages that between them carry
// every feature (poll, content warning, sensitive media, gallery, video,
// gifv, audio, card, quote, boost, custom emoji, media not mirrored), the
// thread root, a tag page, the 404 page and the generated accessibility
// statement (added below, as its address depends on the language). Paths that do not exist in DIR
// are reported, so a change to the example content cannot silently shrink
// the check.
const TARGETS = (process.env.A11Y_TARGETS || [
  'index.html',
  'toots/117591323443242460/index.html', // showcase thread: warning, images, edited, poll
  'toots/115293251174451184/index.html', // closed poll, several choices
  'toots/117670595788835846/index.html', // open poll
  'toots/114148343808062635/index.html', // content warning
  'toots/115654695321652092/index.html', // sensitive media
  'toots/114483973324848954/index.html', // gallery of four images
  'toots/114868400947265212/index.html', // video
  'toots/115371461836804636/index.html', // gifv
  'toots/115735265280004295/index.html', // audio
  'toots/114584990515233746/index.html', // link card with image
  'toots/116171046912018381/index.html', // quote
  'toots/115501930905600070/index.html', // boost
  'toots/116090988134433933/index.html', // media not mirrored
  'toots/114381501235232697/index.html', // thread root
  'tags/barrierefreiheit/index.html',
  'archive/index.html', // the archive by month
  'p/1/index.html', // an archive page of the home list
  '404.html',
].join(',')).split(',');
const MODES = [
  { scheme: 'light', width: 1280 },
  { scheme: 'dark', width: 1280 },
  { scheme: 'light', width: 320 },
  { scheme: 'dark', width: 320 },
];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Fragments for inclusion in other pages, not documents of their own.
const FRAGMENTS = ['embed/latest.html'];

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

// A missing file answers with the site's 404.html, as a web server would be
// set up.
const root = normalize(dir);
const server = await serveSite(root, port, { notFoundPage: true });

const findings = [];
let outside = 0;
const browser = await launchChromium(chromium);
// The site's CSP stays in force: axe is injected through the DevTools
// protocol (page.evaluate), which the CSP does not govern.
const context = await browser.newContext({ javaScriptEnabled: true });
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(origin + '/')) return route.continue();
  outside++;
  findings.push(`request to ${url}`);
  return route.abort();
});
const page = await context.newPage();
let current = '';
page.on('console', (msg) => {
  if (msg.type() === 'error') findings.push(`${current}: console error: ${msg.text()}`);
});
page.on('pageerror', (error) => findings.push(`${current}: script error ${error.message}`));

const pages = (await listPages(root)).filter((p) => !FRAGMENTS.includes(p));
// The generated accessibility statement ([accessibility_statement]):
// barrierefreiheit/ on a German site, accessibility/ on others. The example
// sets it, so exactly one of them must be there.
if (!process.env.A11Y_TARGETS) {
  const statement = ['barrierefreiheit/index.html', 'accessibility/index.html'].filter((p) => pages.includes(p));
  if (statement.length === 1) TARGETS.push(statement[0]);
  else findings.push(`${statement.length} accessibility statement pages in ${dir}, expected 1`);
}
for (const t of TARGETS) {
  if (!pages.includes(t)) findings.push(`${t}: page to check is missing from ${dir}`);
}

// 1. Every page loads cleanly under its own CSP.
// Toot pages also carry schema.org metadata that must parse. Every page has
// a title of its own (the 404 page excepted: it stands in for any address).
let postings = 0;
const titles = new Map();
const footerLinks = new Map();
for (const path of pages) {
  current = path;
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  // The footer's legal links ([links]): the same on every page, the embed
  // frame included, inside a labelled <nav> in the <footer>.
  const legal = await page.evaluate(() => [...document.querySelectorAll('footer nav[aria-label] a')].map((a) => a.href).join(' '));
  footerLinks.set(legal, [...(footerLinks.get(legal) || []), path]);
  // What axe does not insist on but the theme promises on every page (the
  // embed frame is an iframe's content, not a page of the site).
  if (path.startsWith('embed/')) continue;
  const structure = await page.evaluate(() => {
    const out = [];
    const one = (selector, what) => {
      const n = document.querySelectorAll(selector).length;
      if (n !== 1) out.push(`${n} × ${what}, expected 1`);
    };
    one('h1', '<h1>');
    one('body > header, [role=banner]', 'banner landmark (header)');
    one('main#main', '<main id="main">');
    one('body > footer, [role=contentinfo]', 'contentinfo landmark (footer)');
    if (!document.querySelector('nav[aria-label]')) out.push('no labelled <nav>');
    const skip = document.querySelector('body > a.skip-link:first-child');
    if (!skip || skip.getAttribute('href') !== '#main') out.push('no skip link to #main first in <body>');
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(document.documentElement.lang)) out.push('no valid <html lang>');
    if (!document.title.trim()) out.push('empty <title>');
    if (!document.querySelector('link[rel=canonical][href]')) out.push('no canonical link');
    if (!document.querySelector('link[rel=icon][href]')) out.push('no favicon link');
    for (const a of document.querySelectorAll('article')) {
      const id = a.getAttribute('aria-labelledby');
      const label = id && document.getElementById(id);
      if (!label || !label.textContent.trim()) out.push(`<article id=${a.id}> without a name`);
    }
    for (const t of document.querySelectorAll('time')) {
      if (!t.hasAttribute('datetime')) out.push(`<time> "${t.textContent}" without datetime`);
    }
    for (const a of document.querySelectorAll('a[href^="http"]')) {
      if (new URL(a.href).host !== location.host && !a.relList.contains('noreferrer')) {
        out.push(`link to ${a.href} without rel=noreferrer`);
      }
    }
    return { out, title: document.title };
  });
  for (const f of structure.out) findings.push(`${path}: ${f}`);
  titles.set(structure.title, [...(titles.get(structure.title) || []), path]);
  if (path.startsWith('toots/')) {
    const type = await page.evaluate(() => {
      const block = document.head.querySelector('script[type="application/ld+json"]');
      try { return block ? JSON.parse(block.textContent)['@type'] : 'none'; } catch { return 'invalid'; }
    });
    if (type === 'SocialMediaPosting') postings++;
    else findings.push(`${path}: JSON-LD is ${type}, not a SocialMediaPosting`);
  }
}

if (footerLinks.size !== 1 || footerLinks.has('')) {
  for (const [links, paths] of footerLinks) {
    findings.push(`${paths.length} page(s) with footer links [${links}], e.g. ${paths.slice(0, 3).join(', ')}`);
  }
}
for (const [title, paths] of titles) {
  if (paths.length > 1) findings.push(`${paths.length} pages share the title "${title}": ${paths.join(', ')}`);
}

// 2. axe-core, reflow and text resize.
async function axe(path, mode) {
  current = `${path} (${mode.scheme}, ${mode.width} px)`;
  await page.setViewportSize({ width: mode.width, height: 900 });
  await page.emulateMedia({ colorScheme: mode.scheme, reducedMotion: 'no-preference' });
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), WCAG_TAGS);
  let count = 0;
  for (const v of result.violations) {
    count += v.nodes.length;
    for (const node of v.nodes.slice(0, 5)) {
      findings.push(`${current}: ${v.id} (${v.impact}) ${node.target.join(' ')}: ` +
        `${node.failureSummary.replace(/\s+/g, ' ')}`);
    }
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) {
    findings.push(`${current}: scrolls sideways by ${overflow} px (WCAG 1.4.10 reflow)`);
    count++;
  }
  return count;
}

let runs = 0;
let violations = 0;
const checked = new Set();
for (const path of TARGETS.filter((t) => pages.includes(t))) {
  for (const mode of MODES) {
    violations += await axe(path, mode);
    runs++;
  }
  checked.add(path);
}
for (const path of pages.filter((p) => !checked.has(p))) {
  violations += await axe(path, MODES[0]);
  runs++;
}

// Text at 200 %: the root font size doubled on a 1280 px window (the same as
// 200 % browser zoom at 640 px) must not make the page scroll sideways.
let resized = 0;
for (const path of TARGETS.filter((t) => pages.includes(t))) {
  current = `${path} (text 200 %)`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  const overflow = await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    return document.documentElement.scrollWidth - window.innerWidth;
  });
  if (overflow > 0) {
    findings.push(`${current}: scrolls sideways by ${overflow} px (WCAG 1.4.4 resize text)`);
    violations++;
  }
  resized++;
}

// 3. Screenshots.
// [name, page, open the disclosures]: the index as a visitor first sees it,
// the toot page with its content warning and sensitive media opened.
const SHOTS = [
  ['index', 'index.html', false],
  ['toot', process.env.A11Y_SHOT_TOOT || 'toots/117591323443242460/index.html', true],
];
let shots = 0;
if (shotsDir) {
  await mkdir(shotsDir, { recursive: true });
  for (const [name, path, open] of SHOTS) {
    for (const width of [1280, 320]) {
      current = `${path} (screenshot ${width} px)`;
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
      const height = await page.evaluate((open) => {
        if (open) document.querySelectorAll('details').forEach((d) => { d.open = true; });
        return document.documentElement.scrollHeight;
      }, open);
      await page.screenshot({
        path: join(shotsDir, `screenshot-${name}-${width}.png`),
        fullPage: true,
        clip: { x: 0, y: 0, width, height: Math.min(height, 1600) },
      });
      shots++;
    }
  }
}

await browser.close();
server.close();
console.log(`axe-core ${JSON.parse(await readFile(require.resolve('axe-core/package.json'), 'utf8')).version} ` +
  `(${WCAG_TAGS.join(', ')}): ${pages.length} pages loaded under their CSP (${postings} with schema.org JSON-LD), ` +
  `${checked.size} pages × ${MODES.length} modes (light/dark × 320/1280 px) + ` +
  `${pages.length - checked.size} pages × 1 mode = ${runs} runs, ${resized} pages at 200 % text, ` +
  `${violations} violations, ${outside} requests off 127.0.0.1, ${findings.length} findings` +
  (shotsDir ? `, ${shots} screenshots in ${shotsDir}` : ''));
if (findings.length > 0) {
  for (const f of findings.slice(0, 300)) console.log(`  ${f}`);
  process.exit(1);
}
