import type { CheckResult, ClusterHealth, Liveness, ReadyBody } from '@toasties/contract';
import { Router, type RequestHandler } from 'express';

/** A readiness check: resolves (with anything) when healthy; throws or rejects when not. */
export type Check = () => unknown;

export interface HealthOptions {
  readonly service: string;
  readonly version: string;
  readonly checks: Readonly<Record<string, Check>>;
  readonly checkTimeoutMs: number;
  readonly details: () => Partial<ClusterHealth>;
}

export const defaults: Pick<HealthOptions, 'checks' | 'checkTimeoutMs' | 'details'> = {
  checks: {},
  checkTimeoutMs: 1000,
  details: () => ({}),
};

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

export interface HealthRoute {
  readonly method: 'GET';
  readonly path: string;
  readonly handlers: readonly RequestHandler[];
}

export interface Health {
  readonly routes: readonly HealthRoute[];
  readonly router: Router;
  /** Readiness fails from now on; liveness keeps answering until the process exits. */
  beginShutdown(): void;
  readonly shuttingDown: boolean;
  readiness(): Promise<Readiness>;
}

class CheckTimeout extends Error {}

async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, ms: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth(options: Partial<HealthOptions> & Pick<HealthOptions, 'service' | 'version'>): Health {
  const { service, version, checks, checkTimeoutMs, details } = { ...defaults, ...options };
  const startedAt = Date.now();
  let shuttingDown = false;

  async function readiness(): Promise<Readiness> {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name]!, checkTimeoutMs)));
    const byName: Record<string, CheckResult> = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    if (shuttingDown) byName.shutdown = { ok: false, ms: 0, error: 'shutting down' };
    return { ready: Object.values(byName).every((result) => result.ok), checks: byName };
  }

  const liveness: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const body: Liveness = { status: 'ok', service, version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...details() };
    res.json(body);
  };
  const ready: RequestHandler = async (_req, res) => {
    const { ready, checks: results } = await readiness();
    res.set('Cache-Control', 'no-store');
    if (ready) {
      const body: ReadyBody = { status: 'ready', service, version, checks: results };
      res.json(body);
      return;
    }
    const failing = Object.keys(results).filter((name) => !results[name]!.ok);
    res.status(503).json({
      error: 'not_ready',
      message: `not ready: ${failing.join(', ')}`,
      service,
      version,
      checks: results,
    });
  };
  const routes: HealthRoute[] = [
    { method: 'GET', path: '/health', handlers: [liveness] },
    { method: 'GET', path: '/health/ready', handlers: [ready] },
  ];
  const router = Router();
  for (const route of routes) router.get(route.path, ...route.handlers);

  return {
    routes,
    router,
    readiness,
    beginShutdown: () => {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
  };
}
