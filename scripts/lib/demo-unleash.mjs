// The demo's Unleash (npm run demo -- --unleash): a real unleash-server on a PostgreSQL of its
// own, both from testkit (the tests' own way to run them), where the demo switches pick.v2 on
// for one customer through the admin API while jafflr serves, as docs/foxtrot.md shows by hand.
import testkit from '@toasties/testkit';

const { checkTool, startPostgres, startUnleash, POSTGRES_TOOL, UNLEASH_TOOL } = testkit;

/** How often jafflr asks Unleash for its flags: the most a flip waits to be seen. */
export const REFRESH_MS = 1000;

const FLAG = '/projects/default/features/pick.v2';
const DEVELOPMENT = `${FLAG}/environments/development`; // the client token's environment

/** What --unleash needs and this machine lacks, as "tool: how to install it" lines; none when it can run. */
export function missingForUnleash() {
  return [POSTGRES_TOOL, UNLEASH_TOOL].flatMap((tool) => (checkTool(tool).verdict === 'run' ? [] : [`${tool.command}: ${tool.install}`]));
}

/**
 * PostgreSQL, then Unleash on a database of it. Its first start migrates that database: a
 * minute on a busy machine. `stop()` ends both, Unleash first; `kill()` is the last resort.
 */
export async function startFlagServer() {
  const postgres = await startPostgres();
  let unleash;
  try {
    unleash = await startUnleash(postgres);
  } catch (error) {
    await postgres.stop().catch(() => undefined);
    throw error;
  }

  /** One admin call; anything but a 2xx stops the demo, naming the call. */
  async function admin(what, method, path, body) {
    const answer = await unleash.admin(method, path, body);
    if (answer.status >= 300) throw new Error(`unleash: ${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return `${what} → ${answer.status}`;
  }

  return {
    url: unleash.apiUrl.replace(/\/api$/, ''),
    /** jafflr's environment for reading its flags from this server. */
    env: { UNLEASH_URL: unleash.apiUrl, UNLEASH_API_TOKEN: unleash.clientToken, UNLEASH_REFRESH_INTERVAL_MS: String(REFRESH_MS) },
    /** Create pick.v2 with a strategy for these customers only, and switch it on: what was done, a line each. */
    async turnOnFor(customers) {
      return [
        await admin('create the flag pick.v2', 'POST', '/projects/default/features', { name: 'pick.v2', type: 'release' }),
        await admin(`add a strategy: userId in [${customers.join(', ')}]`, 'POST', `${DEVELOPMENT}/strategies`, {
          name: 'flexibleRollout',
          parameters: { rollout: '100', stickiness: 'userId', groupId: 'pick.v2' },
          constraints: [{ contextName: 'userId', operator: 'IN', values: customers, caseInsensitive: false, inverted: false }],
        }),
        await admin('switch it on in development', 'POST', `${DEVELOPMENT}/on`),
      ];
    },
    async stop() {
      await unleash.stop();
      await postgres.stop();
    },
    kill() {
      for (const { child } of [unleash.process, postgres.process]) child.kill('SIGKILL');
    },
  };
}

/**
 * A customer's answers in order, as runs: "v1 ×12 → v2 ×9". While jafflr's workers each
 * read the flag in their own time a run may come back ("v2 ×1 → v1 ×1"): shown as it was.
 * Past `width` characters the middle runs are cut ("… →"): the first and the last run say
 * where the answers started and where they ended.
 */
export function runsOf(answers, width = 80) {
  const runs = [];
  for (const answer of answers) {
    const last = runs.at(-1);
    if (last?.answer === answer) last.count += 1;
    else runs.push({ answer, count: 1 });
  }
  const parts = runs.map(({ answer, count }) => `${answer} ×${count}`);
  const text = parts.join(' → ');
  if (text.length <= width) return text;
  const end = ` → … → ${parts.at(-1)}`;
  let start = parts[0];
  for (const part of parts.slice(1, -1)) {
    if (`${start} → ${part}${end}`.length > width) break;
    start = `${start} → ${part}`;
  }
  return `${start}${end}`;
}
