// The window's modules form no import cycle (issue 8: screens read shared state through the
// wizard's context, never through each other in a loop). Type-only imports count too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

async function files(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no import cycle among the window modules', async () => {
  const graph = new Map();
  for (const f of await files(src)) {
    const text = await readFile(f, 'utf8');
    const deps = [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)]
      .map((m) => resolve(dirname(f), m[1]))
      .map((p) => (existsSync(`${p}.ts`) ? `${p}.ts` : join(p, 'index.ts')))
      .filter((p) => existsSync(p));
    graph.set(f, deps);
  }
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (f) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') cycles.push(stack.slice(stack.indexOf(d)).concat(d).map((p) => p.slice(src.length + 1)).join(' > '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.ok(graph.size > 30, `${graph.size} modules`);
  assert.deepEqual(cycles, []);

  // Screens share what one run knows through src/session.ts (and formatting through
  // src/format.ts), never by importing one another.
  const screens = new Set();
  for (const f of graph.keys()) if (/^export const screen\b/m.test(await readFile(f, 'utf8'))) screens.add(f);
  assert.ok(screens.size >= 15, `${screens.size} screens`);
  const crossed = [];
  for (const f of screens) for (const d of graph.get(f)) if (screens.has(d)) crossed.push(`${f.slice(src.length + 1)} > ${d.slice(src.length + 1)}`);
  assert.deepEqual(crossed, []);
});
