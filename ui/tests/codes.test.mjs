// The window's error codes come from one generated list (ui/src/api/error-codes.ts, made from the
// Rust error registry): every code the IPC mock can emit, and every code the window's own
// TypeScript creates or compares with, exists in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..');

async function registered() {
  const text = await readFile(join(ui, 'src/api/error-codes.ts'), 'utf8');
  return new Set([...text.matchAll(/^  '([a-z0-9_.]+)',$/gm)].map((m) => m[1]));
}

async function files(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (/\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** `code: '…'` and `code === '…'` literals of a source file. */
const codesIn = (text) => [...text.matchAll(/\bcode(?:\s*===\s*|:\s*)'([a-z0-9_]+\.[a-z0-9_.]+)'/g)].map((m) => m[1]);

test('every code the mock and the window use is in the generated registry list', async () => {
  const known = await registered();
  assert.ok(known.size > 50, `${known.size} codes`);
  const unknown = [];
  for (const f of [...(await files(join(ui, 'src'))), join(here, 'ipc-mock.ts'), ...(await files(join(here, 'mocks')))]) {
    for (const c of codesIn(await readFile(f, 'utf8'))) {
      if (!known.has(c) && !c.endsWith('.ok')) unknown.push(`${f.slice(ui.length + 1)}: ${c}`);
    }
  }
  assert.deepEqual(unknown, []);
});
