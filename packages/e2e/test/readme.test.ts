import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freshDatabasePath, stopAllProcesses } from '@toasties/testkit';
import { startStack, type Stack } from './services';

// Every curl in the README and in docs/*.md runs here, verbatim but for the ports, against
// real services, in each page's order (each page on a fresh database), and its answer must
// be the one the page shows.
//
// The conventions, which this test enforces:
// - examples live in ```sh blocks; a `curl` line (with `\` continuations) is a command;
// - the `# ` lines right after it are its expected output, all of it: JSON is compared as
//   JSON with the volatile values below set aside, anything else as exact text, where `…`
//   stands for any text;
// - with `curl -i`, the first expected line is the status line, the `Name: value` lines are
//   headers the answer must carry (among others), and the rest is the body;
// - in the README every curl shows its answer; in docs/ a curl may show none (it must then
//   simply succeed);
// - a `VAR=value npm start` line in a block means the curls after it run against
//   services started with that environment (the database is kept, as `npm start` keeps it);
// - `NAME=$(curl …)` is a command too: it keeps a value (an id) for the commands after it, as
//   the reader's shell does; what it shows (`| tee /dev/stderr`) is its expected output. In
//   the README every `$NAME` a command uses is set that way before it, so every block can be
//   pasted as it stands. In docs/, `$ORDER_ID` not set that way is the order id the latest
//   answer carrying one gave.

// - the README's "Deploy a change" walkthrough (from a `<!-- deploy-walkthrough` marker to the
//   next heading) is not run here: its curls need the deployed services, so
//   packages/delivery-tests/test/deploy-walkthrough.test.ts runs every command of it.

const root = join(__dirname, '..', '..', '..');

/** The page without the walkthrough the deploy tests run (see above). */
function withoutWalkthrough(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('<!-- deploy-walkthrough'));
  if (start < 0) return markdown;
  let end = start + 1;
  for (let inFence = false; end < lines.length; end++) {
    if (/^```/.test(lines[end]!)) inFence = !inFence;
    else if (!inFence && /^#{1,6} /.test(lines[end]!)) break;
  }
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

const readme = withoutWalkthrough(readFileSync(join(root, 'README.md'), 'utf8'));
const docs = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({ page: `docs/${name}`, markdown: readFileSync(join(root, 'docs', name), 'utf8') }));

/** Values that differ from run to run: their keys must be there, their values are not compared. */
const VOLATILE_KEYS = new Set(['ms', 'uptimeSeconds', 'pid', 'createdAt', 'orderId', 'id']);

/** The order id an answer carries, if any: a toastie's `orderId` or an order's `id`. */
function orderIdIn(answer: unknown): string | undefined {
  const { orderId, order } = (answer ?? {}) as { orderId?: unknown; order?: { id?: unknown } };
  const id = orderId ?? order?.id;
  return typeof id === 'string' ? id : undefined;
}

/** `NAME=$(curl …)`: a command that keeps what it prints in a shell variable. */
const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=\$\(curl\s/;

interface Example {
  readonly command: string;
  /** For `NAME=$(…)`: the shell variable it sets. */
  readonly assigns?: string;
  readonly expected: string | undefined;
  /** The environment of the `npm start` the command runs against. */
  readonly env: Readonly<Record<string, string>>;
}

function examplesIn(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  let inSh = false;
  let env: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (!inSh) continue;
    const start = /^((?:[A-Z][A-Z0-9_]*=\S+\s+)*)npm start\b/.exec(line);
    if (start) env = Object.fromEntries(start[1]!.trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
    const assigns = ASSIGNMENT.exec(line)?.[1];
    if (!/^curl\s/.test(line) && !assigns) continue;
    let command = line;
    while (command.endsWith('\\')) command = `${command.slice(0, -1)}${lines[++i]}`;
    const expected: string[] = [];
    while (/^# /.test(lines[i + 1] ?? '')) expected.push(lines[++i]!.slice(2));
    examples.push({ command: command.replace(/\s+#\s.*$/, ''), ...(assigns ? { assigns } : {}), expected: expected.length ? expected.join('\n') : undefined, env });
  }
  return examples;
}

function setVolatileAside(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(setVolatileAside);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, VOLATILE_KEYS.has(key) ? '(volatile)' : setVolatileAside(v)]));
  return value;
}

/** Exact text, but for `…`, which stands for any text. */
function matchesText(actual: string, expected: string): boolean {
  const pattern = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(actual);
}

function expectAnswer(actual: string, expected: string): void {
  const expectedJson = asJson(expected);
  if (expectedJson !== undefined) expect(setVolatileAside(asJson(actual) ?? actual)).toEqual(setVolatileAside(expectedJson));
  else expect({ actual, matches: matchesText(actual, expected) }).toEqual({ actual, matches: true });
}

/** `curl -i`: the status line, the headers the page names (each must be there), then the body. */
function expectHttpAnswer(actual: string, expected: string): void {
  const [head = '', ...rest] = actual.split(/\r?\n\r?\n/);
  const [status, ...headerLines] = head.split(/\r?\n/);
  const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const [expectedStatus = '', ...more] = expected.split('\n');
  expect(status).toBe(expectedStatus);
  const isHeader = (line: string) => /^[A-Za-z][A-Za-z0-9-]*: /.test(line);
  for (const line of more.filter(isHeader)) {
    const name = line.slice(0, line.indexOf(':'));
    const value = headers.get(name.toLowerCase());
    expect({ name, value, matches: value !== undefined && matchesText(value, line.slice(name.length + 1).trim()) }).toEqual({ name, value, matches: true });
  }
  const body = more.filter((line) => !isHeader(line)).join('\n');
  if (body) expectAnswer(rest.join('\n\n').trim(), body);
}

function asJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const examples = examplesIn(readme);

/** The README's note on the values that differ from run to run, e.g. "(`ms`, `uptimeSeconds` … differ on every run". */
function volatileNote(markdown: string): string {
  return /\(([^()]*)differ on every\s+run/.exec(markdown)?.[1] ?? '';
}

/** Every volatile key that an answer the README shows carries. */
function volatileKeysShown(markdown: string): string[] {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (VOLATILE_KEYS.has(key)) keys.add(key);
        visit(v);
      }
    }
  };
  for (const { expected } of examplesIn(markdown)) for (const line of (expected ?? '').split('\n')) visit(asJson(line));
  return [...keys].sort();
}

describe('the README', () => {
  test('has every curl in a ```sh block, each followed by the answer it expects', () => {
    const curlLines = readme.split('\n').filter((line) => /^\s*curl\s/.test(line) || ASSIGNMENT.test(line));
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect(examples).toHaveLength(curlLines.length);
    expect(examples.filter((example) => example.expected === undefined).map((example) => example.command)).toEqual([]);
  });

  test('every block can be pasted as it stands: each $NAME a command uses was set by a command before it', () => {
    const set = new Set<string>();
    const unset: string[] = [];
    for (const { command, assigns } of examples) {
      const body = assigns ? command.slice(command.indexOf('=') + 1) : command;
      for (const [, name] of body.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (!set.has(name!)) unset.push(`${name} in ${command}`);
      if (assigns) set.add(assigns);
    }
    expect(unset).toEqual([]);
  });

  test('fits a projector: every line within 100 columns, the deploy walkthrough\'s too', () => {
    const page = readFileSync(join(root, 'README.md'), 'utf8');
    expect(page.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });

  test('it and docs/ say what is true now, with no private history (issue numbers, rounds, sessions)', () => {
    const pages = [{ page: 'README.md', markdown: readFileSync(join(root, 'README.md'), 'utf8') }, ...docs];
    const history = /\b(issues? \d+|round (one|two|three)|(this|last|previous) round|sessions?|item \d+)\b/i;
    expect(pages.flatMap(({ page, markdown }) => markdown.split('\n').filter((line) => history.test(line)).map((line) => `${page}: ${line}`))).toEqual([]);
  });

  test('its note on values that differ from run to run names every one its answers show', () => {
    const note = volatileNote(readme);
    expect(volatileKeysShown(readme).filter((key) => !note.includes(`\`${key}\``))).toEqual([]);
  });

  test('the example parser reads continuations, expected lines and the npm start environment', () => {
    const parsed = examplesIn(['```sh', 'FLAG_X=on npm start', "curl -s a \\", "  -d 'b'   # note", '# {"ok":true}', '# more', 'ID=$(curl -s c \\', '  | tee /dev/stderr)', '# c', '```', 'curl -s prose', '```text', 'curl -s not-sh', '```'].join('\n'));
    expect(parsed).toEqual([
      { command: "curl -s a   -d 'b'", expected: '{"ok":true}\nmore', env: { FLAG_X: 'on' } },
      { command: 'ID=$(curl -s c   | tee /dev/stderr)', assigns: 'ID', expected: 'c', env: { FLAG_X: 'on' } },
    ]);
  });
});

function curlsAgainstNpmStart(page: string, pageExamples: readonly Example[]): void {
  describe(`every curl in ${page}, in order, against npm start`, () => {
    const databasePath = freshDatabasePath('readme');
    let stack: Stack | undefined;
    let stackEnv = '';
    let orderId = '';
    const shellVariables: Record<string, string> = {}; // what the page's NAME=$(…) commands kept

    /** Services as `npm start` would run them with `env`: restarted when the environment changes. */
    async function servicesFor(env: Readonly<Record<string, string>>): Promise<Stack> {
      const key = JSON.stringify(env);
      if (stack && stackEnv === key) return stack;
      if (stack) await Promise.all([stack.jafflr.stop('SIGTERM'), stack.chillybin.stop('SIGTERM')]);
      // npm start's defaults: real cooking time, one worker, the same database across restarts.
      stack = await startStack({ COOK_TIME_SCALE: '1', ...env }, { DATABASE_PATH: databasePath, ...env });
      stackEnv = key;
      return stack;
    }

    afterAll(async () => {
      if (stack) await Promise.all([stack.jafflr.stop('SIGTERM'), stack.chillybin.stop('SIGTERM')]);
    });

    test.each(pageExamples.map((example) => [example.command, example] as const))('%s', async (_name, { command, assigns, expected, env }) => {
      const { jafflr, chillybin } = await servicesFor(env);
      const local = command.replaceAll('localhost:7000', `127.0.0.1:${jafflr.port}`).replaceAll('localhost:7001', `127.0.0.1:${chillybin.port}`);
      expect(local).not.toMatch(/:700[01]\b/); // every URL was pointed at the services under test

      const variables = page === 'README.md' ? shellVariables : { ORDER_ID: orderId, ...shellVariables };
      const run = (script: string) => promisify(execFile)('bash', ['-o', 'pipefail', '-c', script], { timeout: 30_000, env: { ...process.env, ...variables } });
      let stdout: string;
      if (assigns) {
        // As in the reader's shell: the variable is set, and what the command showed is its answer.
        // A terminal's stderr can be opened as /dev/stderr; node's stdio socket cannot (ENXIO),
        // so stderr goes through a pipe, as a terminal or a `2>file` would take it.
        const ran = await run(`set -e\nexec 2> >(cat >&2)\n${local}\nprintf '%s' "$${assigns}"`);
        expect({ [assigns]: ran.stdout }).toEqual({ [assigns]: expect.stringMatching(/\S/) });
        shellVariables[assigns] = ran.stdout;
        stdout = ran.stderr;
      } else {
        ({ stdout } = await run(local));
      }

      const withHeaders = /^curl\s.*\s-[a-zA-Z]*i\b/.test(command);
      const body = withHeaders ? (stdout.split(/\r?\n\r?\n/).slice(1).join('\n\n') || stdout) : stdout;
      const actual = body.trim();
      orderId = orderIdIn(asJson(actual)) ?? orderId;
      // JSON answers end with a newline: the shell's prompt starts on a line of its own.
      if (asJson(actual) !== undefined) expect(body.endsWith('\n')).toBe(true);
      if (expected === undefined) return; // docs/ only: it ran, and succeeded
      if (withHeaders) expectHttpAnswer(stdout.trim(), expected);
      else expectAnswer(actual, expected);
    }, 60_000);
  });
}

afterAll(stopAllProcesses);

curlsAgainstNpmStart('README.md', examples);
for (const { page, markdown } of docs) {
  const pageExamples = examplesIn(markdown);
  if (pageExamples.length > 0) curlsAgainstNpmStart(page, pageExamples);
}
