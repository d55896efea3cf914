import { spawnSync } from 'node:child_process';
import { findOnPath, type SystemTool } from '@toasties/testkit';

/** Whether `command args…` runs and exits 0 (a quick probe: version or info). */
function answers(command: string, args: readonly string[]): boolean {
  const path = findOnPath(command);
  return path !== undefined && spawnSync(path, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

// The engine scripts/image-test.sh drives, chosen as scripts/lib/container-engine.sh
// chooses it: CONTAINER_ENGINE if set, Docker where its daemon answers, podman otherwise.
export const CONTAINER_ENGINE: SystemTool = {
  command: process.env.CONTAINER_ENGINE ?? (answers('docker', ['info']) ? 'docker' : 'podman'),
  install: 'apt-get install podman runc uidmap golang-github-containernetworking-plugin-dnsname mmdebstrap, or Docker (docs/delivery.md)',
};

// What scripts/compose-test.sh runs the compose file with: `docker compose`, else Debian's
// docker-compose.
export const COMPOSE: SystemTool = answers('docker', ['compose', 'version'])
  ? { command: 'docker', install: 'Docker Compose' }
  : { command: 'docker-compose', install: 'apt-get install docker-compose, or Docker Compose (docs/delivery.md)' };

/**
 * A base image the build can start from without a registry: NODE_IMAGE (or
 * PROMETHEUS_IMAGE) when set, else the default already in the engine's store. Without one
 * the build would try to pull, which fails on a machine with no registry; such a machine
 * skips with one line naming the stand-in. A machine without the engine at all is told so
 * by the engine's own line, so this one stays quiet there.
 */
function baseImage(variable: 'NODE_IMAGE' | 'PROMETHEUS_IMAGE', image: string, standIn: string): SystemTool {
  return {
    command: image,
    install: `${CONTAINER_ENGINE.command} pull ${image}, or where no registry is reachable ${variable}=$(${standIn})`,
    locate(env) {
      if (env[variable]) return env[variable];
      const engine = findOnPath(CONTAINER_ENGINE.command, env);
      if (engine === undefined) return 'the engine is missing: its own line says so';
      return spawnSync(engine, ['image', 'inspect', image], { stdio: 'ignore', timeout: 30_000 }).status === 0 ? image : undefined;
    },
  };
}

export const NODE_BASE_IMAGE = baseImage('NODE_IMAGE', 'node:20-bookworm-slim', 'scripts/node-image-stand-in.sh');
export const PROMETHEUS_BASE_IMAGE = baseImage('PROMETHEUS_IMAGE', 'prom/prometheus:v3.5.0', 'scripts/prometheus-image-stand-in.sh');
