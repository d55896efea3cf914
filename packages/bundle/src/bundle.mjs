#!/usr/bin/env node
// Run from a service's directory after tsc (its `build` script): bundles src/main.ts, with the
// workspaces' sources and the packages it imports, into dist/service.js, and puts start.cjs at
// dist/main.js to run it with V8's code cache. A process then reads and compiles one file
// instead of resolving ~470 modules, and code it never uses is left out: packages that ship ES
// modules are bundled from those (zod's 64 locales, re-exported as one namespace, fall away
// when imported as `import * as z`). Readable output, not minified: a stack trace names the
// function and a line of dist/service.js; `node --enable-source-maps dist/service.js` runs
// the service with those lines mapped to the TypeScript sources (dist/service.js.map).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const workspaces = join(here, '..', '..');

/**
 * Loaded from node_modules as before, only by a process that needs them: native addons, which
 * cannot be bundled, and packages a service loads only in some settings (pretty logs, an
 * UNLEASH_URL, PostgreSQL, a pending migration, a rate limit): bundled, every start would
 * parse them.
 */
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

// esbuild writes strings and names as ASCII but keeps comments as they are: one "—" in a
// comment makes node read the whole file as two-byte text, slower to decode and to parse.
// Each other character becomes "?" (one for one, so the source map's columns still hold).
const ascii = (text) => text.replace(/[\u0080-\uffff]/g, '?');
mkdirSync('dist', { recursive: true });
for (const file of outputFiles) {
  if (file.path.endsWith('.js')) writeFileSync(file.path, ascii(file.text), { mode: 0o755 }); // runnable alone: it starts with #!
  else writeFileSync(file.path, file.contents);
}
// dist/main.js, what every script starts: runs dist/service.js with V8's code cache (start.cjs).
copyFileSync(join(here, 'start.cjs'), 'dist/main.js');
