// The Nu HTML checker (vnu-jar) on every HTML file of a built site: zero
// errors or exit status 1. The CMS fragment embed/latest.html is not a
// document, so it is checked wrapped in a minimal one.
//
// Usage: node nu.mjs DIR

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node nu.mjs DIR');
  process.exit(2);
}
const FRAGMENTS = ['embed/latest.html'];
const require = createRequire(import.meta.url);
const jar = require.resolve('vnu-jar/build/dist/vnu.jar');

const files = [];
async function walk(d) {
  for (const entry of await readdir(d, { withFileTypes: true })) {
    const p = join(d, entry.name);
    if (entry.isDirectory()) await walk(p);
    else if (entry.name.endsWith('.html')) files.push(p);
  }
}
await walk(dir);
const documents = files.filter((f) => !FRAGMENTS.includes(relative(dir, f).split(sep).join('/')));
const wrapped = await mkdtemp(join(tmpdir(), 'tootbridge-nu-'));
const fragments = [];
for (const f of FRAGMENTS) {
  const body = await readFile(join(dir, f), 'utf8').catch(() => null);
  if (body === null) continue;
  const out = join(wrapped, f.replaceAll('/', '_'));
  await writeFile(out, `<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>fragment</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`);
  fragments.push(out);
}

const run = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', ...documents, ...fragments],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
await rm(wrapped, { recursive: true, force: true });
if (run.error) throw run.error;
let messages;
try {
  messages = JSON.parse(run.stderr || run.stdout).messages;
} catch {
  console.error(`Nu HTML checker gave no JSON report:\n${run.stderr}${run.stdout}`);
  process.exit(1);
}
const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
console.log(`Nu HTML checker: ${documents.length} pages and ${fragments.length} fragment(s) checked, ${errors.length} errors`);
for (const m of errors.slice(0, 200)) {
  const where = m.url ? m.url.replace(/^file:/, '') : '?';
  console.log(`  ${where}:${m.lastLine ?? '?'}: ${m.message}`);
}
process.exit(errors.length > 0 ? 1 : 0);
