// scripts/bench.mjs's PostgreSQL rows: chillybin's v1 and v2 picks on a durable PostgreSQL
// (1 and 2 workers; 1 and 3 replicas on one database), each beside the same pick on SQLite
// in the same run, and against the target: the original Go chillybin's durable /pick
// did 1.05–1.2k req/s on PostgreSQL 15 on a 2-core machine; v1 should do three times that.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { cpuSeconds, json, keyedV2, startChillybin, v2Body } from './bench-kit.mjs';

const { startPostgres, hasPostgres, POSTGRES_TOOL } = testkit;

/**
 * Row ids: pg-<pick>[-w2 | -r3]. v2-key: a v2 pick with a new Idempotency-Key each, as jafflr
 * sends them.
 */
export const PG_ROWS = ['pg-v1', 'pg-v2', 'pg-v2-key', 'pg-v1-w2', 'pg-v2-w2', 'pg-v1-r3', 'pg-v2-r3'];

/** The Go chillybin's durable /pick on PostgreSQL 15, 50 connections, 2 cores. */
const GO = { low: 1050, high: 1200 };

const shapeOf = (row) => {
  const [, api, extra] = /^pg-(v1|v2(?:-key)?)(?:-(w2|r3))?$/.exec(row);
  return { api, workers: extra === 'w2' ? 2 : 1, replicas: extra === 'r3' ? 3 : 1 };
};

const requestOf = (api, url) =>
  ({
    v1: { url: `${url}/pick?name=cheese&quantity=1`, method: 'POST' },
    v2: { url: `${url}/v2/pick`, method: 'POST', headers: json, body: v2Body },
    'v2-key': keyedV2(url),
  })[api];

/**
 * The connections split over the replicas (a load balancer's share each), one autocannon per
 * replica, all at once. CPU per request: the chillybins' (primaries and workers) and the
 * PostgreSQL server's (the postmaster and its backends, its children).
 */
async function loadAcross(replicas, api, { connections, duration }, postgresPid) {
  const before = replicas.map((replica) => cpuSeconds(replica.pid));
  const serverBefore = postgresPid ? cpuSeconds(postgresPid) : 0;
  const results = await Promise.all(
    replicas.map((replica, i) =>
      autocannon({ ...requestOf(api, replica.url), duration, connections: Math.floor(connections / replicas.length) + (i < connections % replicas.length ? 1 : 0) }),
    ),
  );
  const total = results.reduce((sum, r) => sum + r.requests.total, 0) || 1;
  const chillybinCpu = replicas.reduce((sum, replica, i) => sum + cpuSeconds(replica.pid) - before[i], 0);
  return {
    rps: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failed: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
    cpuUs: (chillybinCpu * 1e6) / total,
    serverCpuUs: postgresPid ? ((cpuSeconds(postgresPid) - serverBefore) * 1e6) / total : undefined,
  };
}

/** The file system the server's data directory is on (a durable COMMIT waits for it). */
function dataDisk() {
  try {
    return execFileSync('df', ['--output=source,fstype', tmpdir()], { encoding: 'utf8' }).trim().split('\n')[1].trim().replace(/\s+/, ', ');
  } catch {
    return 'unknown';
  }
}

/**
 * Measure the PostgreSQL rows in `only`. `sqlite` holds SQLite results this run already has
 * (key `v1-w1`…); what is missing is measured here, on a fresh file. Returns the rows and a
 * line saying what server they ran on; without PostgreSQL's programs, a line saying so.
 */
export async function postgresRows({ only, root, connections, duration, sqlite }) {
  const wanted = PG_ROWS.filter((row) => only.has(row));
  if (wanted.length === 0) return undefined;
  if (!hasPostgres()) {
    const line = `PostgreSQL rows skipped: no PostgreSQL server programs here (${POSTGRES_TOOL.install})`;
    console.error(`bench: ${line}`);
    return { skipped: line, rows: [] };
  }
  const server = await startPostgres({ durable: true });
  const [{ server_version: version }] = await server.query('SHOW server_version');
  const settings = await server.query("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method') ORDER BY name");
  // Rows of the same shape share their processes: v1, then v2.
  const shapes = new Map();
  for (const row of wanted) {
    const { api, workers, replicas } = shapeOf(row);
    const key = `${workers}/${replicas}`;
    shapes.set(key, { workers, replicas, apis: [...(shapes.get(key)?.apis ?? []), api] });
  }
  const rows = [];
  let databases = 0;
  try {
    for (const { workers, replicas: count, apis } of shapes.values()) {
      const url = await server.createDatabase(`bench_${++databases}`);
      const replicas = [];
      for (let i = 0; i < count; i++) replicas.push(await startChillybin(root, { WORKERS: String(workers), DATABASE_URL: url }));
      const measured = {};
      for (const api of apis) measured[api] = await loadAcross(replicas, api, { connections, duration }, server.process.pid);
      await Promise.all(replicas.map((replica) => replica.stop()));
      // SQLite is one file on one machine: no replicas, so the 3-replica rows stand beside none.
      const missing = count === 1 ? apis.filter((api) => !sqlite[`${api}-w${workers}`]) : [];
      if (missing.length > 0) {
        const chillybin = await startChillybin(root, { WORKERS: String(workers) });
        for (const api of missing) sqlite[`${api}-w${workers}`] = await loadAcross([chillybin], api, { connections, duration });
        await chillybin.stop();
      }
      for (const api of apis) {
        const beside = count === 1 ? sqlite[`${api}-w${workers}`] : undefined;
        rows.push({ api, workers, replicas: count, postgres: measured[api], sqlite: beside });
        console.error(`bench: PostgreSQL ${api} pick, WORKERS=${workers}, ${count} replica(s): ${measured[api].rps} req/s, p99 ${measured[api].p99} ms, ${measured[api].failed} failed${beside ? `; SQLite ${beside.rps} req/s` : ''}`);
      }
    }
  } finally {
    await server.stop();
  }
  const described = settings.map(({ name, setting }) => `${name}=${setting}`).join(', ');
  return { server: `PostgreSQL ${version}, testkit's server started durable (${described}: a COMMIT returns once its WAL is on disk), data directory on ${dataDisk()}`, rows };
}

const figures = (r) => `${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.failed} failed; ${Math.round(r.cpuUs)} µs CPU/request${r.serverCpuUs === undefined ? '' : ` + ${Math.round(r.serverCpuUs)} µs PostgreSQL's`}`;

/** The rows as a Markdown table, each beside its SQLite row, as ratios to the baseline's req/s. */
export function postgresTable(result, baseRps) {
  if (!result) return [];
  const head = ['## PostgreSQL beside SQLite', ''];
  if (result.skipped) return [...head, `${result.skipped}.`, ''];
  const ratio = (r) => `${(r.rps / baseRps).toFixed(2)}×`;
  const target = (row) => {
    if (row.api !== 'v1') return ['—', ''];
    const { rps } = row.postgres;
    return [`≥ 3× Go's 1.05–1.2k = 3.15–3.6k req/s (here ${(rps / GO.high).toFixed(1)}–${(rps / GO.low).toFixed(1)}×)`, rps >= 3 * GO.high ? 'yes' : rps >= 3 * GO.low ? 'low end only' : 'no'];
  };
  return [
    ...head,
    `${result.server}. The pick is the same request on both databases; one replica = one chillybin (a primary and WORKERS workers), three = three on one database, the connections split between them. CPU: the chillybins' processes, plus the PostgreSQL server's.`,
    ``,
    `| pick | workers | replicas | SQLite | × baseline | PostgreSQL (durable) | × baseline | target (v1) | met |`,
    `|---|---:|---:|---|---:|---|---:|---|---|`,
    ...result.rows.map((row) => {
      const [goal, met] = target(row);
      const sqlite = row.sqlite ? [figures(row.sqlite), ratio(row.sqlite)] : ['— (one file: no replicas)', '—'];
      return `| ${row.api === 'v2-key' ? 'v2, a new Idempotency-Key each' : row.api} | ${row.workers} | ${row.replicas} | ${sqlite[0]} | ${sqlite[1]} | ${figures(row.postgres)} | ${ratio(row.postgres)} | ${goal} | ${met} |`;
    }),
    ``,
  ];
}
