// One temporary folder per jest run, for everything the tests and the processes they
// start write to the system temp folder (os.tmpdir() and mktemp follow TMPDIR, and the
// workers and their children inherit it). Each test file removes what it made (see
// environment.js); this folder catches the rest and is removed when the run ends,
// pass or fail, so nothing a test forgot can litter the machine.
const { mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const KEY = 'TOASTIES_TEST_TMPDIR';

async function setup() {
  if (process.env[KEY]) return; // a jest run started by a test shares its parent's folder
  const root = mkdtempSync(join(tmpdir(), 'toasties-test-run-'));
  process.env[KEY] = root;
  process.env.TMPDIR = root;
}

async function teardown() {
  const root = process.env[KEY];
  if (!root || process.env.TMPDIR !== root) return; // only the run that made it removes it
  const left = readdirSync(root);
  if (left.length > 0) {
    // Said, so that the test that forgot its clean-up can be found and mended.
    const names = left.slice(0, 5).join(', ') + (left.length > 5 ? ', …' : '');
    process.stderr.write(`temp: ${left.length} entries left by the tests were removed: ${names}\n`);
  }
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}

module.exports = { setup, teardown };
