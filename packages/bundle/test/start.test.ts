import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnProcess, tempDir, waitFor } from '@toasties/testkit';

// start.cjs, a bundled service's dist/main.js, run as a real process on a stand-in bundle: a
// service that says where it runs from and serves until SIGTERM.
const SERVICE = `process.stdout.write('serving ' + __filename + '\\n');
const alive = setInterval(() => {}, 1000);
process.on('SIGTERM', () => clearInterval(alive));
`;
const CACHE_FILE = /^service-[0-9a-f]{16}-[0-9a-f]{8}-v[0-9.]+\.bin$/;

/** A release's dist/ with the loader and the stand-in bundle, and a TMPDIR of its own. */
function release() {
  const root = tempDir('bundle-start');
  const dist = join(root, 'dist');
  const tmp = join(root, 'tmp');
  mkdirSync(dist);
  mkdirSync(tmp);
  copyFileSync(join(__dirname, '..', 'src', 'start.cjs'), join(dist, 'main.js'));
  writeFileSync(join(dist, 'service.js'), SERVICE);
  return { dist, tmp, beside: join(dist, '.code-cache'), underTmp: join(tmp, 'toasties-code-cache') };
}

const caches = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => CACHE_FILE.test(name)) : []);

/** The one cache file in `dir`, once a process has written it. */
async function theCache(dir: string): Promise<string> {
  const [file] = await waitFor(() => (caches(dir).length === 1 ? caches(dir) : undefined), { timeoutMs: 60_000, what: 'the code cache' });
  return file!;
}

async function serve(dist: string, tmp: string, nodeArgs: string[] = []) {
  const service = spawnProcess(process.execPath, [...nodeArgs, join(dist, 'main.js')], { TMPDIR: tmp });
  await service.waitForLine(new RegExp(`^serving ${join(dist, 'service.js')}$`));
  return service;
}

test('the first process of a release writes the code cache beside the bundle, in a directory only its user can write', async () => {
  const { dist, tmp, beside, underTmp } = release();
  const service = await serve(dist, tmp);
  const file = await theCache(beside);
  expect(file).toContain(`-${process.version}.bin`);
  expect(statSync(beside).mode & 0o777).toBe(0o700);
  expect(caches(underTmp)).toEqual([]);
  expect(await service.stop()).toEqual({ code: 0, signal: null });
});

test("a rebuilt release's cache replaces the earlier build's beside the bundle", async () => {
  const { dist, tmp, beside } = release();
  mkdirSync(beside, { mode: 0o700 });
  writeFileSync(join(beside, 'service-0123456789abcdef-v20.0.0.bin'), 'an earlier build');
  const service = await serve(dist, tmp);
  const [file] = await waitFor(() => (caches(beside).length === 1 && !caches(beside).includes('service-0123456789abcdef-v20.0.0.bin') ? caches(beside) : undefined), { timeoutMs: 60_000, what: "the new cache, the earlier build's gone" });
  expect(file).toContain(`-${process.version}.bin`);
  await service.stop();
});

test("processes under other node options (a cluster's workers) keep a cache of their own beside the other", async () => {
  const { dist, tmp, beside } = release();
  const plain = await serve(dist, tmp);
  const first = await theCache(beside);
  await plain.stop();
  const written = readFileSync(join(beside, first));
  // V8 would refuse the first cache under this flag; replacing it would make the first kind refuse theirs.
  const flagged = await serve(dist, tmp, ['--max-semi-space-size=8']);
  await waitFor(() => caches(beside).length === 2, { timeoutMs: 60_000, what: 'a second code cache' });
  expect(readFileSync(join(beside, first))).toEqual(written);
  await flagged.stop();
});

test('a cache V8 refuses (a torn file, say) is replaced', async () => {
  const { dist, tmp, beside } = release();
  const first = await serve(dist, tmp);
  const file = await theCache(beside);
  await first.stop();
  writeFileSync(join(beside, file), 'not a code cache');
  const second = await serve(dist, tmp);
  await waitFor(() => readFileSync(join(beside, file), 'latin1') !== 'not a code cache', { timeoutMs: 60_000, what: 'a new code cache' });
  await second.stop();
});

test('a cache directory others can write to is neither read nor written: the one under TMPDIR is', async () => {
  const { dist, tmp, beside, underTmp } = release();
  mkdirSync(beside);
  chmodSync(beside, 0o777);
  const planted = join(beside, 'service-0000000000000000-v0.bin');
  writeFileSync(planted, 'planted');
  const service = await serve(dist, tmp);
  await waitFor(() => caches(underTmp).length === 1, { timeoutMs: 60_000, what: 'the code cache under TMPDIR' });
  expect(readdirSync(beside)).toEqual(['service-0000000000000000-v0.bin']);
  expect(readFileSync(planted, 'utf8')).toBe('planted');
  await service.stop();
});
