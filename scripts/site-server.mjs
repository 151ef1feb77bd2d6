// What the browser and accessibility checks share: the list of a built
// site's pages, a static server for it on 127.0.0.1, and the headless
// Chromium they drive. Node's own modules only; each check brings its own
// playwright-core and passes its `chromium` in.

import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, normalize, extname, relative, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp',
  '.gif': 'image/gif', '.mp4': 'video/mp4', '.mp3': 'audio/mpeg', '.json': 'application/json',
};

// Every HTML file below `root`, as sorted `/`-separated relative paths.
export async function listPages(root) {
  const out = [];
  async function walk(d) {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.name.endsWith('.html')) out.push(relative(root, p).split(sep).join('/'));
    }
  }
  await walk(root);
  return out.sort();
}

// Serves `dir` on 127.0.0.1:`port` and resolves once it listens: the decoded
// path inside `dir` only, a folder as its index.html. A missing file is a
// 404 with the site's 404.html when `notFoundPage` is set (as a web server
// would be set up), else with a short text.
export async function serveSite(dir, port, { notFoundPage = false } = {}) {
  const root = resolve(dir);
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, origin).pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
        throw new Error('outside');
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      if (notFoundPage) {
        const body = await readFile(join(root, '404.html')).catch(() => 'not found');
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return server;
}

// Debian's Chromium, headless, without its own background traffic.
export function launchChromium(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}
