// scripts/lib/read-health.mjs is type-checked against these, so a field renamed here fails there too.
export interface WorkerVersion {
  readonly pid: number;
  readonly version: string;
}

export interface ClusterHealth {
  readonly workers: readonly WorkerVersion[];
  readonly reloading: boolean;
}

/** A lone process (WORKERS=0) has no `workers`. */
export interface Liveness extends Partial<ClusterHealth> {
  readonly status: 'ok';
  readonly service: string;
  readonly version: string;
  readonly uptimeSeconds: number;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

/** 503 is the error shape, `not_ready`, with the same `checks`. */
export interface ReadyBody {
  readonly status: 'ready';
  readonly service: string;
  readonly version: string;
  readonly checks: Readonly<Record<string, CheckResult>>;
}
