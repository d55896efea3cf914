#!/usr/bin/env node
// Summarises a `node --cpu-prof` profile: self time by package (node_modules/<name>, the
// workspace's own packages, node's internals), and the top functions. A frame in a bundled
// service (dist/service.js) is placed by the bundle's source map. Used for the figures in
// docs/performance.md:
//
//   node bench/profile-summary.mjs CPU.*.cpuprofile [--top 15]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });

/** Where a function lives, coarsely: a package name, a workspace package, or node itself. */
function ownerOf(url) {
  if (!url) return '(native/gc/idle)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  const workspace = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (workspace) return `@toasties/${workspace[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

const sourceMaps = new Map();
/** The source a frame's code came from: itself, or what the bundle's map says. */
function sourceOf({ url, lineNumber, columnNumber }) {
  if (!url.startsWith('file:')) return url;
  const path = fileURLToPath(url);
  if (!sourceMaps.has(path)) sourceMaps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) : undefined);
  const entry = sourceMaps.get(path)?.findEntry(lineNumber, columnNumber);
  return entry?.originalSource ? new URL(entry.originalSource, url).href : url;
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byOwner = new Map();
  const byFunction = new Map();
  let idle = 0;
  for (const [id, count] of hits) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    const owner = ownerOf(sourceOf(callFrame));
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + count);
    const name = `${callFrame.functionName || '(anonymous)'} ${owner}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  const busy = total - idle;
  const pct = (count) => `${((100 * count) / busy).toFixed(1)}%`;
  console.log(`${file}: ${busy} busy samples of ${total} (${pct(idle)} idle of busy)`);
  console.log('self time by owner:');
  for (const [owner, count] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${pct(count).padStart(6)}  ${owner}`);
  console.log('top functions (self):');
  for (const [name, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${pct(count).padStart(6)}  ${name}`);
}
