#!/usr/bin/env node
// Run from a service's directory after tsc (its `build` script): src/main.ts and all it imports
// into dist/service.js, and start.cjs as dist/main.js to run it (docs/delivery.md).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const workspaces = join(here, '..', '..');

// Native addons, and packages a process loads only in some settings, stay in node_modules.
const external = [
  'better-sqlite3',
  'pg-native',
  'pino-pretty',
  'unleash-client',
  'pg',
  'umzug',
  'express-rate-limit',
  '@express-rate-limit/cluster-memory-store',
];

/** `@toasties/<name>[/<subpath>]` from packages/<name>/src, so its imports are bundled as ES modules too. */
const workspaceSources = {
  name: 'workspace-sources',
  setup(builder) {
    builder.onResolve({ filter: /^@toasties\/[^/]+(\/.+)?$/ }, ({ path }) => {
      const [, name, subpath = 'index'] = /^@toasties\/([^/]+)(?:\/(.+))?$/.exec(path);
      const source = join(workspaces, name, 'src', `${subpath}.ts`);
      return existsSync(source) ? { path: source } : undefined; // anything else: the package's own exports
    });
  },
};

const { outputFiles } = await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/service.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external,
  plugins: [workspaceSources],
  // Mappings only: the sources sit beside dist/ in a release, and the map stays small.
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'linked',
  logLevel: 'warning',
  write: false,
});

// One non-ASCII character left in a comment makes node read the whole file as two-byte text;
// "?" for each keeps the source map's columns.
const ascii = (text) => text.replace(/[\u0080-\uffff]/g, '?');
mkdirSync('dist', { recursive: true });
for (const file of outputFiles) {
  if (file.path.endsWith('.js')) writeFileSync(file.path, ascii(file.text), { mode: 0o755 }); // runnable alone: it starts with #!
  else writeFileSync(file.path, file.contents);
}
copyFileSync(join(here, 'start.cjs'), 'dist/main.js');
