/**
 * What GET /health and GET /health/ready answer, in every service. @toasties/health builds
 * these bodies; the deploy scripts read /health through scripts/lib/read-health.mjs, which
 * is type-checked against them. A field renamed here fails to compile in both.
 */

/** One worker process serving now, and the release it runs. */
export interface WorkerVersion {
  readonly pid: number;
  readonly version: string;
}

/** What a cluster adds to /health: every worker serving, so one answer tells whether a release is everywhere. */
export interface ClusterHealth {
  readonly workers: readonly WorkerVersion[];
  /** A reload is under way: the worker list is about to change. */
  readonly reloading: boolean;
}

/** GET /health, 200: liveness. A lone process (WORKERS=0) has no `workers`; its `version` is the one. */
export interface Liveness extends Partial<ClusterHealth> {
  readonly status: 'ok';
  readonly service: string;
  readonly version: string;
  readonly uptimeSeconds: number;
}

/** One readiness check's outcome, within its time box. */
export interface CheckResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

/** GET /health/ready, 200. (503 is the error shape, `not_ready`, with the same `checks`.) */
export interface ReadyBody {
  readonly status: 'ready';
  readonly service: string;
  readonly version: string;
  readonly checks: Readonly<Record<string, CheckResult>>;
}
