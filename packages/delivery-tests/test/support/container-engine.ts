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
