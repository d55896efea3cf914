import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@toasties/testkit';
import { fullLog, processesRunning, restockForLoad, said, short, underLoad, untilSaid, useDeployHost, type Deployed, type Service } from './support/deploy-host';

// Can I deploy? Before a release serves, the expectations of the deployed services that call
// it (kept with their releases: services/<caller>/contract/<service>.json) are replayed against
// it on a spare port with a copy of its data, and a new caller's own expectations against the
// deployed service. The story's breaking change: migration 0003 made order ids strings, and a
// jafflr from before it read a string id as a failure. That jafflr is simulated by its
// recorded expectations (an order id is a number).

const host = useDeployHost({ workers: 1, readyTimeoutMs: 30_000, confirmTimeoutS: 60 });
const expectations = (root: string) => join(root, 'services', 'jafflr', 'contract', 'chillybin.json');
/** jafflr's expectations as a jafflr from before migration 0003 recorded them. */
const beforeStringIds = () => readFileSync(expectations(host().repo.dir), 'utf8').replace('"id": "<string|number>"', '"id": "<number>"');
const refusal = [
  expect.stringMatching(/^interaction 2: jafflr expects POST \/v2\/pick \(an order of cheese and two slices of bread for a customer \(pick\.v2\)\) to answer 201; chillybin answered otherwise:$/),
  expect.stringMatching(/^ {2}body\.order\.id: expected a number, got "[^"]+" \(a string\)$/),
];

const pidsOf = async (service: Service) => {
  const serving = await host().serving(service);
  return serving === 'nothing' ? serving : serving.map((worker) => worker.pid);
};
const stock = async () => (await (await fetch(`http://127.0.0.1:${host().ports.chillybin}/`)).json()) as Record<string, number>;

test('a first deploy checks the new jafflr against the deployed chillybin, and both serve', async () => {
  const { code, output } = await host().run('deploy.sh', []);
  expect(code).toBe(0);
  expect(said(output)).toEqual(
    expect.arrayContaining([
      'chillybin: check: no deployed service to check against',
      `jafflr: check its expectations against the deployed chillybin ${short(host().lastCommit('chillybin'))}`,
      `jafflr: confirmed ${short(host().lastCommit('jafflr'))} on 1 of 1 workers`,
    ]),
  );
  await restockForLoad(host().ports.chillybin);
}, 300_000);

test('a chillybin answering string order ids, with a jafflr from before 0003 deployed, is refused under load: the interaction named, no reload, no failed request, its data untouched', async () => {
  const deployedJafflr = join(host().deployRoot, 'jafflr', 'current');
  writeFileSync(expectations(deployedJafflr), beforeStringIds());
  host().commitFile('chillybin', 'CHANGE', 'any change: chillybin answers string ids, as it has since 0003');
  const before = { chillybin: await pidsOf('chillybin'), jafflr: await pidsOf('jafflr') };
  let deployed: Deployed = { code: 0, output: '' };
  const load = await underLoad(host().ports.jafflr, async () => {
    deployed = await host().run('deploy.sh', ['chillybin']);
  });
  expect(deployed.code).toBe(1);
  const lines = said(deployed.output);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^chillybin: check [0-9a-f]{12} against the expectations of the deployed jafflr [0-9a-f]{12}$/), ...refusal]));
  expect(lines).toContainEqual(expect.stringMatching(/^chillybin: the check step failed \(exit 1\); stopped there: nothing was switched/));
  expect(lines).not.toContainEqual(expect.stringMatching(/^chillybin: (backup|migrate|switch|reload)/));
  // No reload: the same workers; no request failed.
  expect({ chillybin: await pidsOf('chillybin'), jafflr: await pidsOf('jafflr') }).toEqual(before);
  expect(load.requests).toBeGreaterThan(20);
  expect(load.failed).toBe(0);
  // The check's restock (10 cheese) and orders went to a copy: the real stock is still the load's million.
  expect((await stock()).cheese).toBeGreaterThan(100_000);
}, 300_000);

test('the same chillybin, once the deployed jafflr reads string ids, passes the check and is deployed', async () => {
  writeFileSync(expectations(join(host().deployRoot, 'jafflr', 'current')), readFileSync(expectations(host().repo.dir), 'utf8'));
  const { code, output } = await host().run('deploy.sh', ['chillybin']);
  expect(code).toBe(0);
  expect(said(output)).toContainEqual(`chillybin: confirmed ${short(host().lastCommit('chillybin'))} on 1 of 1 workers`);
}, 300_000);

test('a new jafflr expecting number ids is refused against the deployed chillybin, before anything is switched', async () => {
  const before = { jafflr: await pidsOf('jafflr'), current: readFileSync(join(host().deployRoot, 'jafflr', 'history'), 'utf8') };
  writeFileSync(expectations(host().repo.dir), beforeStringIds());
  host().repo.git('commit', '--quiet', '--all', '--message', 'jafflr: expects number order ids');
  const { code, output } = await host().run('deploy.sh', ['jafflr']);
  expect(code).toBe(1);
  expect(said(output)).toEqual(expect.arrayContaining([expect.stringMatching(/^jafflr: check its expectations against the deployed chillybin [0-9a-f]{12}$/), ...refusal]));
  expect({ jafflr: await pidsOf('jafflr'), current: readFileSync(join(host().deployRoot, 'jafflr', 'history'), 'utf8') }).toEqual(before);
}, 300_000);

describe("with changes to the services' env", () => {
  const envFile = (service: Service) => join(host().deployRoot, service, 'env');
  const saved = { chillybin: '', jafflr: '' };
  beforeEach(() => {
    for (const service of ['chillybin', 'jafflr'] as const) saved[service] = readFileSync(envFile(service), 'utf8');
  });
  afterEach(() => {
    for (const service of ['chillybin', 'jafflr'] as const) writeFileSync(envFile(service), saved[service]);
  });

  test('with DATABASE_URL (PostgreSQL, nowhere here) and ADMIN_TOKEN in chillybin\'s env, the check still runs on the SQLite copy, without a token, and passes; only the real steps after it meet the database', async () => {
    // A port nothing listens on: any write that reached it would fail the check.
    writeFileSync(envFile('chillybin'), `${saved.chillybin}DATABASE_URL=postgres://toasties@127.0.0.1:9/production\nADMIN_TOKEN=${'a'.repeat(32)}\n`);
    host().commitFile('chillybin', 'CHANGE', 'any change: a check with a database URL and an admin token');
    const deployed = await host().run('deploy.sh', ['chillybin']);
    expect(deployed.code).toBe(1);
    const lines = said(deployed.output);
    expect(lines).not.toContainEqual(expect.stringMatching(/^interaction \d|did not become ready/));
    expect(fullLog(deployed.output)).toMatch(/^7 interactions of jafflr with chillybin: as expected$/m);
    expect(lines).toContainEqual(expect.stringMatching(/^chillybin: the (backup|migrate) step failed \(exit \d+\); stopped there: nothing was switched/));
  }, 300_000);

  // The v1 pick is asked of a chillybin only while the deployed jafflr may still call it:
  // its interaction holds "unless" jafflr's FLAG_PICK_V2 is "on".
  test.each([
    { jafflr: 'FLAG_PICK_V2=On', outcome: 'passes: jafflr no longer calls v1' },
    { jafflr: 'FLAG_PICK_V2=25%', outcome: 'is refused, naming the v1 interaction: jafflr may still call v1' },
  ])('a chillybin with FLAG_PICK_V1=off, the deployed jafflr having $jafflr, $outcome', async ({ jafflr }) => {
    writeFileSync(envFile('chillybin'), `${saved.chillybin}FLAG_PICK_V1=off\n`);
    writeFileSync(envFile('jafflr'), `${saved.jafflr}${jafflr}\n`);
    host().commitFile('chillybin', 'CHANGE', `any change: v1 off, jafflr with ${jafflr}`);
    const { code, output } = await host().run('deploy.sh', ['chillybin']);
    const lines = said(output);
    if (jafflr === 'FLAG_PICK_V2=On') {
      expect({ code, lines }).toEqual({ code: 0, lines: expect.arrayContaining([`chillybin: confirmed ${short(host().lastCommit('chillybin'))} on 1 of 1 workers`]) as unknown });
      expect(fullLog(output)).toMatch(/^interaction 5 \(a v1 pick of one slice of cheese \(pick\.v2 off\)\): skipped, as FLAG_PICK_V2=on for jafflr$/m);
    } else {
      expect({ code, lines }).toEqual({
        code: 1,
        lines: expect.arrayContaining([
          'interaction 5: jafflr expects POST /pick?name=cheese&quantity=1 (a v1 pick of one slice of cheese (pick.v2 off)) to answer 200; chillybin answered otherwise:',
          expect.stringMatching(/^chillybin: the check step failed \(exit 1\); stopped there: nothing was switched/),
        ]) as unknown,
      });
    }
  }, 300_000);
});

// Interrupted while it checks: the provider on the spare port is stopped and its copy of the
// data removed; nothing was switched. (A release whose worker never becomes ready holds the
// check, waiting for the provider, for as long as the test needs.)
const onLinux = process.platform === 'linux' ? test : test.skip; // reads /proc

onLinux('SIGTERM to the deploy during the check step: exit 143, the spare-port provider and its copy of the data gone, nothing switched', async () => {
  const before = { chillybin: await pidsOf('chillybin'), jafflr: await pidsOf('jafflr'), history: readFileSync(join(host().deployRoot, 'chillybin', 'history'), 'utf8') };
  const tag = host().commitFile('chillybin', 'BROKEN', 'ready');
  const provider = join(host().deployRoot, 'chillybin', 'releases', tag, 'services', 'chillybin', 'dist', 'main.js');
  const scratch = () => readdirSync(join(host().deployRoot, 'chillybin')).filter((name) => name.startsWith('.check.'));
  try {
    const deploy = host().start('deploy.sh', ['chillybin']);
    await untilSaid(deploy, /^chillybin: check [0-9a-f]{12} against the expectations of the deployed jafflr/m);
    await waitFor(() => processesRunning(provider).length > 0, { timeoutMs: 60_000, what: `the provider on a spare port; output so far:\n${deploy.output()}` });
    expect(scratch()).toHaveLength(1);
    deploy.signal('SIGTERM', 'script');
    const { code, output } = await deploy.exited;
    const lines = said(output);
    expect({ code, lines }).toEqual({
      code: 143,
      lines: expect.arrayContaining([expect.stringMatching(/^chillybin: the check step was interrupted; stopped there: nothing was switched/), expect.stringMatching(/^interrupted; full log: \S+$/)]) as unknown,
    });
    expect(lines).not.toContainEqual(expect.stringMatching(/^chillybin: (backup|migrate|switch|reload)/));
    await waitFor(() => processesRunning(provider).length === 0, { timeoutMs: 20_000, what: 'the provider to be gone' });
    expect(scratch()).toEqual([]);
    expect({ chillybin: await pidsOf('chillybin'), jafflr: await pidsOf('jafflr'), history: readFileSync(join(host().deployRoot, 'chillybin', 'history'), 'utf8') }).toEqual(before);
  } finally {
    if (existsSync(join(host().repo.dir, 'services', 'chillybin', 'BROKEN'))) host().removeFile('chillybin', 'BROKEN');
  }
}, 300_000);

