#!/usr/bin/env node
'use strict';
// A bundled service's dist/main.js: runs dist/service.js with V8's code cache, which the
// release's first process writes once it has started (docs/delivery.md).
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const vm = require('node:vm');

/** Long enough for a worker to be serving: what it compiled until then goes into the cache. */
const CACHE_AFTER_MS = 5000;

const bundle = join(__dirname, 'service.js');
const bytes = readFileSync(bundle);
const hash = (text) => createHash('sha1').update(text).digest('hex');
const build = hash(bytes).slice(0, 16);
// V8 refuses a cache made under other flags, and a cluster's workers run with flags its primary
// has not (worker-node-args.ts): a cache for each set of node options, side by side.
const options = hash([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\n')).slice(0, 8);
const key = `${build}-${options}-${process.version}`;
const places = [join(__dirname, '.code-cache'), join(tmpdir(), 'toasties-code-cache')].map((dir) => ({ dir, file: join(dir, `service-${key}.bin`) }));

/** Compiled code runs as this process: read only from a directory this user alone can write to. */
function ownDirectory(dir) {
  const { uid, mode } = statSync(dir);
  return uid === process.getuid() && (mode & 0o022) === 0;
}

/** Beside the bundle only this build's caches are ever read again: a rebuilt dist drops the earlier builds'. */
function removeEarlierBuilds(dir) {
  for (const name of readdirSync(dir)) {
    if (/^service-.+\.bin$/.test(name) && !name.startsWith(`service-${build}-`)) rmSync(join(dir, name), { force: true });
  }
}

let cachedData;
for (const { dir, file } of places) {
  try {
    if (!ownDirectory(dir)) continue;
    cachedData = readFileSync(file);
    break;
  } catch {
    // not made yet, or not readable here: the next place
  }
}

// node's CommonJS module wrapper; the bundle is ASCII (bundle.mjs).
const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('latin1').replace(/^#!/, '//')}\n});`;
const script = new vm.Script(wrapped, { filename: bundle, cachedData });

if (cachedData === undefined || script.cachedDataRejected) {
  setTimeout(() => {
    const data = script.createCachedData();
    for (const { dir, file } of places) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!ownDirectory(dir)) continue;
        const partial = `${file}.${process.pid}`;
        writeFileSync(partial, data);
        renameSync(partial, file); // whole or not at all, for the processes starting beside this one
        if (dir === places[0].dir) removeEarlierBuilds(dir);
        return;
      } catch {
        // not writable here: the next place (nowhere: each start compiles)
      }
    }
  }, CACHE_AFTER_MS).unref();
}

const serviceModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(serviceModule.exports, createRequire(bundle), serviceModule, bundle, __dirname);
