import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@toasties/testkit';
import { CLEAN_UP_TIMEOUT_MS, fastBuild, killProcessesOfDeploy, LOCK_WAIT_S } from './support/deploy-host';
import { output as ran, repoRoot } from './support/run';
import { throwawayRepo, type ThrowawayRepo } from './support/throwaway-repo';

// The README's "Deploy a change" walkthrough, run as a reader runs it: every command of its
// ```sh blocks, in order, in a throwaway copy of this repository (a clone, as far as git and
// npm can tell), with `npm run deploy` and `npm run rollback` as they are. Only the build is
// the deploy tests' fast stand-in, and the ports are free ones.
//
// The conventions of the walkthrough, which this test enforces (the README test leaves the
// blocks after the `<!-- deploy-walkthrough … -->` marker to this one):
// - each line of a block is a command (`\` continues it); the `# ` lines after it are what it
//   prints: `…` stands for any text, `<old>` and `<new>` for jafflr's tag before and after
//   the walkthrough's commit (its first 12 hex digits in what the scripts print, all 40 in
//   what `cat` and `curl` show);
// - a JSON answer (on one line or wrapped over several) is compared as JSON, `pid` and
//   `uptimeSeconds` set aside, lists in any order, and a value shown as "…" may be any;
// - a `curl` shows all it prints, in any order (the lines of a /metrics answer have none); a
//   `cat` all it prints, in order; any other command (npm) the lines that matter, in order
//   (the rest is build progress).

const MARKER = '<!-- deploy-walkthrough';

interface Step {
  readonly command: string;
  readonly expected: readonly string[];
}

/** The commands of the ```sh blocks from the marker to the next heading. */
function walkthroughSteps(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(MARKER));
  if (start < 0) return [];
  const steps: Step[] = [];
  let inSh = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (!inSh) {
      if (/^#{1,6} /.test(line)) break; // the next section
      continue;
    }
    if (line.trim() === '' || line.startsWith('# ')) continue;
    let command = line;
    while (command.endsWith('\\')) command = `${command.slice(0, -1)}${lines[++i]}`;
    const expected: string[] = [];
    while ((lines[i + 1] ?? '').startsWith('# ')) expected.push(lines[++i]!.slice(2));
    steps.push({ command, expected });
  }
  return steps;
}

const VOLATILE = new Set(['pid', 'uptimeSeconds']);
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, VOLATILE.has(key) ? '(volatile)' : normalised(v)]));
  return value;
}

/** `actual`, with the values `expected` shows as "…" (any value) replaced by "…". */
function anyWhereShown(actual: unknown, expected: unknown): unknown {
  if (!actual || typeof actual !== 'object' || Array.isArray(actual) || !expected || typeof expected !== 'object') return actual;
  const shown = expected as Record<string, unknown>;
  return Object.fromEntries(Object.entries(actual).map(([key, value]) => [key, shown[key] === '…' ? '…' : anyWhereShown(value, shown[key])]));
}

function asJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const pattern = (expected: string) => new RegExp(`^${expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/**
 * Each expected line matches a line of its own among `actual`: after the one the line before
 * matched when `ordered`, anywhere otherwise. With `all`, no line is left over.
 */
function unmatched(actual: readonly string[], expected: readonly string[], { ordered, all }: { ordered: boolean; all: boolean }): { missing: string[]; extra: string[] } {
  const left: (string | undefined)[] = [...actual];
  const missing: string[] = [];
  let from = 0;
  for (const line of expected) {
    const at = left.findIndex((candidate, index) => (!ordered || index >= from) && candidate !== undefined && pattern(line).test(candidate));
    if (at < 0) {
      missing.push(line);
    } else {
      left[at] = undefined;
      from = at + 1;
    }
  }
  return { missing, extra: all ? left.filter((line) => line !== undefined) : [] };
}

const steps = walkthroughSteps(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
let repo: ThrowawayRepo;
let env: NodeJS.ProcessEnv;
let ports: { jafflr: number; chillybin: number };
const tags: { old?: string; new?: string } = {};

beforeAll(async () => {
  repo = throwawayRepo();
  ports = { jafflr: await freePort(), chillybin: await freePort() };
  const { DEPLOY_ROOT: _default, ...inherited } = process.env;
  env = {
    ...inherited,
    // The walkthrough's .deploy/ is the repo's; named, so that every process of it carries it (the clean-up finds them so).
    DEPLOY_ROOT: join(repo.dir, '.deploy'),
    JAFFLR_PORT: String(ports.jafflr),
    CHILLYBIN_PORT: String(ports.chillybin),
    PRUNED_BUILD: fastBuild,
    FAST_BUILD_FROM: repoRoot,
    FAST_BUILD_REPO: repo.dir,
    CONFIRM_TIMEOUT_S: '30',
    COOK_TIME_SCALE: '0', // reaches the deployed services: their env file is read over this one
    TURBO_TELEMETRY_DISABLED: '1',
    GIT_AUTHOR_NAME: 'walkthrough',
    GIT_AUTHOR_EMAIL: 'walkthrough@example.invalid',
    GIT_COMMITTER_NAME: 'walkthrough',
    GIT_COMMITTER_EMAIL: 'walkthrough@example.invalid',
  };
}, 120_000);


test('the README walks a change through canary, promote and rollback', () => {
  expect(steps.map((step) => step.command)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^npm run deploy\b/), expect.stringMatching(/^git commit /), expect.stringMatching(/^npm run deploy -- --canary jafflr/), expect.stringMatching(/^npm run deploy -- --promote jafflr/), expect.stringMatching(/^npm run rollback -- jafflr/)]),
  );
  expect(steps.filter((step) => /^curl .*\/health/.test(step.command))).not.toHaveLength(0);
  expect(steps.filter((step) => /^curl .*\/metrics/.test(step.command))).not.toHaveLength(0);
});

describe('every command of the walkthrough, in order', () => {
  // Whatever happened: stop what the walkthrough started, while the throwaway repo is still
  // there (the file-level clean-up, jest/environment.js, removes it after every hook).
  afterAll(async () => {
    if (!repo) return;
    await promisify(execFile)('bash', ['scripts/deploy.sh', '--stop'], { cwd: repo.dir, env: { ...env, DEPLOY_LOCK_WAIT_S: String(LOCK_WAIT_S) }, timeout: (LOCK_WAIT_S + 60) * 1000 }).catch(() => undefined);
    killProcessesOfDeploy(env.DEPLOY_ROOT!);
  }, CLEAN_UP_TIMEOUT_MS);

  test.each(steps.map((step, index) => [`${index + 1}. ${step.command}`, step] as const))('%s', async (_name, { command, expected }) => {
    // jafflr's tag before the walkthrough's commit is <old>; the one after it, <new>.
    const tag = ran('bash', ['last_commit.sh', 'jafflr'], { cwd: repo.dir });
    if (tags.old === undefined) tags.old = tag;
    else if (tag !== tags.old) tags.new = tag;

    const local = command.replaceAll('localhost:7000', `127.0.0.1:${ports.jafflr}`).replaceAll('localhost:7001', `127.0.0.1:${ports.chillybin}`);
    expect(local).not.toMatch(/:700[01]\b/);
    let printed: string;
    try {
      const { stdout, stderr } = await promisify(execFile)('bash', ['-o', 'pipefail', '-c', local], { cwd: repo.dir, env, timeout: 120_000 });
      printed = `${stdout}${stderr}`;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`exit ${failed.code}:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error });
    }

    // The scripts print a tag as a person reads it (12 hex digits); files and answers hold all 40.
    const asPrinted = (tag: string) => (/^(curl|cat)\s/.test(command) ? tag : tag.slice(0, 12));
    const filled = expected.map((line) => {
      for (const name of ['old', 'new'] as const) {
        if (line.includes(`<${name}>`)) {
          expect({ [`<${name}>`]: tags[name] }).toEqual({ [`<${name}>`]: expect.any(String) });
          line = line.replaceAll(`<${name}>`, asPrinted(tags[name]!));
        }
      }
      return line;
    });
    // A JSON answer may be wrapped over several lines to fit the page.
    const json = asJson(filled.join('\n'));
    if (json !== undefined) {
      expect(normalised(anyWhereShown(asJson(printed.trim()) ?? printed.trim(), json))).toEqual(normalised(json));
      return;
    }
    const lines = printed.split('\n').map((line) => line.trimEnd()).filter(Boolean);
    const curl = /^curl\s/.test(command);
    const rule = { ordered: !curl, all: curl || /^cat\s/.test(command) };
    expect({ printed: lines, ...unmatched(lines, filled, rule) }).toEqual({ printed: lines, missing: [], extra: [] });
  }, 180_000);
});
