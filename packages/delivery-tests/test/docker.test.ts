import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRepoFile, readYaml, repoFiles } from './support/files';
import { repoRoot } from './support/run';

const dockerfile = readRepoFile('docker/Dockerfile');
const lockfile = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { version: string }> };
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('docker/Dockerfile', () => {
  test('builds and runs on one Debian base image (better-sqlite3 is native: same libc throughout)', () => {
    expect(argDefault('NODE_IMAGE')).toBe('node:20-bookworm-slim');
    const stages = dockerfile.match(/^FROM .*$/gm)!;
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage).toMatch(/^FROM \$\{NODE_IMAGE\} AS \w+$/);
  });

  test('pins the turbo of the lockfile, and the npm of packageManager', () => {
    expect(argDefault('TURBO_VERSION')).toBe(lockfile.packages['node_modules/turbo']!.version);
    expect(dockerfile).toMatch(/^RUN npm install --global .*"turbo@\$\{TURBO_VERSION\}"$/m);
    expect(`npm@${argDefault('NPM_VERSION')}`).toBe((JSON.parse(readRepoFile('package.json')) as { packageManager: string }).packageManager);
  });

  test('performs the steps of scripts/pruned-build.sh, in the same order', () => {
    const steps = [/turbo prune "\$\{package\}" --docker/, /npm ci --no-audit --no-fund/, /turbo run build --filter="\$\{package\}"/, /npm prune --omit=dev/];
    const script = readRepoFile('scripts/pruned-build.sh');
    const scriptSteps = [/turbo prune "\$package" --docker/, /npm ci --no-audit --no-fund/, /turbo run build --filter="\$package"/, /npm prune --omit=dev/];
    const positions = (text: string, patterns: RegExp[]) => patterns.map((pattern) => text.search(pattern));
    for (const [text, patterns] of [[dockerfile, steps], [script, scriptSteps]] as const) {
      const found = positions(text, patterns);
      expect(found.every((position) => position >= 0)).toBe(true);
      expect([...found].sort((a, b) => a - b)).toEqual(found);
    }
  });

  test('runs as the non-root "node" user under tini, with a HEALTHCHECK and VERSION baked in', () => {
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health/m);
    expect(finalStage).toMatch(/^ARG VERSION=dev$/m);
    expect(finalStage).toMatch(/VERSION=\$\{VERSION\}/);
    expect(finalStage).toMatch(/HOST=0\.0\.0\.0/);
  });

  test('has a .dockerignore that keeps host installs and build output out of the context', () => {
    const ignored = readRepoFile('docker/Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist', '**/.turbo']));
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  profiles?: string[];
  stop_grace_period?: string;
}

describe('docker/compose.yml', () => {
  const compose = readYaml<{ services: Record<string, ComposeService>; volumes: Record<string, unknown> }>('docker/compose.yml');
  const { chillybin, jafflr } = compose.services;

  test.each(['chillybin', 'jafflr'])('builds %s from the one Dockerfile, with a healthcheck and time to drain', (name) => {
    const service = compose.services[name]!;
    expect(service.build).toMatchObject({ context: '..', dockerfile: 'docker/Dockerfile', args: { SERVICE: name } });
    expect(service.healthcheck?.test.join(' ')).toMatch(/\/health/);
    expect(parseInt(service.stop_grace_period!, 10) * 1000).toBeGreaterThan(Number(service.environment?.SHUTDOWN_TIMEOUT_MS));
    expect(service.profiles).toBeUndefined();
  });

  // podman's Docker-compatible API splits a CMD health check's arguments on blanks.
  const checked = Object.keys(compose.services).filter((name) => compose.services[name]!.healthcheck);
  test.each(checked)('%s: no blank inside an argument of its healthcheck', (name) => {
    const { test: command } = compose.services[name]!.healthcheck!;
    expect(command[0]).toBe('CMD');
    expect(command.filter((arg) => /\s/.test(arg))).toEqual([]);
  });

  test('the compose test runs the services without a profile and the monitoring ones, less Grafana, and only their volumes', () => {
    const adapted = spawnSync(process.execPath, [join(repoRoot, 'scripts/lib/compose-for-test.mjs'), join(repoRoot, 'docker/compose.yml')], { encoding: 'utf8' });
    expect(adapted).toMatchObject({ status: 0, stderr: '' });
    const { services, volumes } = parse(adapted.stdout) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
    // Exactly these: scripts/compose-test.sh can pull nothing, and image.test.ts expects them.
    expect(Object.keys(services).sort()).toEqual(['chillybin', 'jafflr', 'prometheus']);
    expect(Object.keys(volumes)).toEqual(['chillybin-data']);
    for (const service of Object.values(services)) {
      expect(service.profiles).toBeUndefined();
      expect(service.build).toBeUndefined();
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });

  test("keeps chillybin's SQLite file on a named volume, where its default DATABASE_PATH points", () => {
    expect(Object.keys(compose.volumes)).toContain('chillybin-data');
    expect(chillybin!.volumes).toContain('chillybin-data:/app/services/chillybin/data');
    expect(chillybin!.healthcheck?.test.join(' ')).toMatch(/\/health\/ready/);
  });

  test('starts jafflr once chillybin is healthy', () => {
    expect(jafflr!.depends_on).toEqual({ chillybin: { condition: 'service_healthy' } });
    expect(jafflr!.environment?.CHILLYBIN_URL).toBe('http://chillybin:8080');
  });

  test('the postgres profile runs PostgreSQL for chillybin, which uses it when CHILLYBIN_DATABASE_URL says so (SQLite otherwise)', () => {
    const postgres = compose.services.postgres!;
    expect(postgres.profiles).toEqual(['postgres']);
    expect(postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(Object.keys(compose.volumes)).toContain('chillybin-postgres');
    // Empty means unset (packages/config): without the variable chillybin stays on SQLite.
    expect(chillybin!.environment?.DATABASE_URL).toBe('${CHILLYBIN_DATABASE_URL:-}');
    expect(chillybin!.depends_on).toEqual({ postgres: { condition: 'service_healthy', required: false } });
    const [, url] = /CHILLYBIN_DATABASE_URL=(\S+)/.exec(readRepoFile('docker/compose.yml'))!;
    const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB } = postgres.environment as Record<string, string>;
    expect(url).toBe(`postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}`);
  });

  test('has Prometheus and Grafana, provisioned, in the monitoring profile only', () => {
    expect(compose.services.prometheus?.profiles).toEqual(['monitoring']);
    expect(compose.services.grafana?.profiles).toEqual(['monitoring']);
    expect(repoFiles(/^docker\/(prometheus|grafana)\//)).toEqual(
      expect.arrayContaining(['docker/prometheus/prometheus.yml', 'docker/grafana/provisioning/datasources/prometheus.yml', 'docker/grafana/provisioning/dashboards/toasties.yml']),
    );
  });
});
