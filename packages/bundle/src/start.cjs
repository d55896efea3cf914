#!/usr/bin/env node
'use strict';
// A bundled service's dist/main.js (copied here by bundle.mjs): runs dist/service.js, the
// bundle, compiled with V8's code cache. The cache is made by the first process of a release,
// once it has started (so the functions a start compiles lazily are in it), and every later
// process and cluster worker of that release skips compiling them. It is keyed by the
// bundle's content and node's version; V8 refuses one made by another V8 or with other
// flags, and then a new one is written. Beside the bundle where that is writable, else under
// the temporary directory (an image's code is read-only to the service).
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const vm = require('node:vm');

/** Long enough for a worker to be serving: what it compiled until then goes into the cache. */
const CACHE_AFTER_MS = 5000;

const bundle = join(__dirname, 'service.js');
const bytes = readFileSync(bundle);
const key = `${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}-${process.version}`;
const places = [join(__dirname, '.code-cache'), join(tmpdir(), 'toasties-code-cache')].map((dir) => ({ dir, file: join(dir, `service-${key}.bin`) }));

/** Compiled code runs as this process: read only from a directory this user alone can write to. */
function ownDirectory(dir) {
  const { uid, mode } = statSync(dir);
  return uid === process.getuid() && (mode & 0o022) === 0;
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

// The module wrapper node puts around a CommonJS file; the bundle is ASCII (bundle.mjs), read as such.
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
        return;
      } catch {
        // not writable here: the next place; nowhere, and each start compiles as without a cache
      }
    }
  }, CACHE_AFTER_MS).unref();
}

const serviceModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(serviceModule.exports, createRequire(bundle), serviceModule, bundle, __dirname);
