import { run } from './support/run';

// A comment says why the code is as it is now; this bounds how much of it a reader wades through.
const MAX = 0.2;
const script = 'scripts/comment-density.mjs';

interface Row {
  readonly dir: string;
  readonly comment: number;
  readonly code: number;
  readonly ratio: number;
}

const measured = run('node', [script, '--json']);
const rows = JSON.parse(measured.stdout) as Row[];

test('it measures every packages/*/src and services/*/src directory', () => {
  expect(measured.status).toBe(0);
  expect(rows.map((row) => row.dir)).toEqual(expect.arrayContaining(['packages/contract/src', 'packages/graceful/src', 'services/chillybin/src', 'services/jafflr/src']));
  for (const row of rows) expect(row.code).toBeGreaterThan(0);
});

test.each(rows.map((row) => [row.dir, row] as const))(`%s has at most ${MAX} comment lines per code line`, (_dir, row) => {
  expect(row.ratio).toBeLessThanOrEqual(MAX);
});

test('--max exits 1 and names each directory above it', () => {
  const over = run('node', [script, '--max', '0']);
  expect(over.status).toBe(1);
  for (const row of rows.filter((row) => row.ratio > 0)) expect(over.stderr).toContain(`${row.dir}: ${row.ratio.toFixed(2)} comment lines per code line, above 0`);
});
