import { dirname } from 'node:path';
import { readYaml, readYamlDocuments, repoFiles } from './support/files';

// The Kubernetes manifests, as kustomize assembles them from k8s/base/kustomization.yaml
// (k8s/kustomization.yaml is that base; overlays/ build on it: k8s-postgres.test.ts).
interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
  startupProbe: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
}
interface Resource {
  kind: string;
  metadata: { name: string };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> } & Record<string, string>;
    strategy?: { type: string; rollingUpdate: { maxUnavailable: number } };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: Record<string, unknown>;
        containers: Container[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }[];
        affinity?: { podAffinity: unknown };
      };
    };
  };
}

const kustomization = readYaml<{ resources: string[] }>('k8s/base/kustomization.yaml');
const resources = kustomization.resources.flatMap((path) => readYamlDocuments<Resource>(`k8s/base/${path}`));
const deployments = resources.filter((resource) => resource.kind === 'Deployment');
const of = (kind: string, name: string) => resources.find((resource) => resource.kind === kind && resource.metadata.name === name);
const container = (deployment: Resource) => deployment.spec.template.spec.containers[0]!;
const env = (deployment: Resource, name: string) => container(deployment).env.find((variable) => variable.name === name)?.value;

test('every manifest in k8s/base is in the kustomization, and there is a Deployment for each service', () => {
  expect(readYaml<{ resources: string[] }>('k8s/kustomization.yaml').resources).toEqual(['base']);
  expect(repoFiles(/^k8s\/base\/.*\.yaml$/).filter((path) => path !== 'k8s/base/kustomization.yaml')).toEqual(
    expect.arrayContaining(kustomization.resources.map((path) => `k8s/base/${path}`)),
  );
  expect(repoFiles(/^k8s\/base\/.*\.yaml$/)).toHaveLength(kustomization.resources.length + 1);
  expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(['chillybin', 'jafflr']);
});

describe.each(['chillybin', 'jafflr'])('the %s Deployment', (name) => {
  const deployment = of('Deployment', name)!;
  const pod = deployment.spec.template.spec;
  const main = container(deployment);

  test('probes: started and alive on /health, ready on /health/ready, all on the container port', () => {
    expect(main.startupProbe.httpGet.path).toBe('/health');
    expect(main.livenessProbe.httpGet.path).toBe('/health');
    expect(main.readinessProbe.httpGet.path).toBe('/health/ready');
    const port = main.ports[0]!;
    for (const probe of [main.startupProbe, main.readinessProbe, main.livenessProbe]) expect(probe.httpGet.port).toBe(port.name);
    expect(env(deployment, 'PORT')).toBe(String(port.containerPort));
    expect(env(deployment, 'HOST')).toBe('0.0.0.0');
  });

  test('stopping: a preStop delay, then a drain that ends before the grace period does', () => {
    const [command, seconds] = main.lifecycle.preStop.exec.command;
    expect(command).toBe('sleep');
    const preStopSeconds = Number(seconds);
    expect(preStopSeconds).toBeGreaterThan(0);
    const delayMs = Number(env(deployment, 'SHUTDOWN_DELAY_MS'));
    const timeoutMs = Number(env(deployment, 'SHUTDOWN_TIMEOUT_MS'));
    expect(timeoutMs).toBeGreaterThan(delayMs); // the services refuse anything else
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + timeoutMs / 1000);
  });

  test('rolls out with no pod missing: RollingUpdate with maxUnavailable 0', () => {
    expect(deployment.spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
  });

  test('runs as non-root on a read-only root filesystem, without privileges', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect(main.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(main.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  test('asks for CPU and memory and caps memory', () => {
    expect(Object.keys(main.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(main.resources.limits.memory).toBeDefined();
  });

  test('has a PodDisruptionBudget and a Service that select its pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(of('PodDisruptionBudget', name)!.spec.selector.matchLabels);
    expect(labels).toMatchObject(of('Service', name)!.spec.selector);
  });
});

describe('chillybin on SQLite', () => {
  const deployment = of('Deployment', 'chillybin')!;
  const pod = deployment.spec.template.spec;

  test('runs as one replica with its database on a persistent volume', () => {
    expect(deployment.spec.replicas).toBe(1);
    const claim = pod.volumes.find((volume) => volume.persistentVolumeClaim)!;
    expect(of('PersistentVolumeClaim', claim.persistentVolumeClaim!.claimName)).toBeDefined();
    const mount = container(deployment).volumeMounts.find((volumeMount) => volumeMount.name === claim.name)!;
    expect(dirname(env(deployment, 'DATABASE_PATH')!)).toBe(mount.mountPath);
  });

  test('keeps a rollout on the node that holds the volume, and lets the pods write to it', () => {
    expect(pod.affinity?.podAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: deployment.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' }],
    });
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
  });
});

test('jafflr finds chillybin through its Service', () => {
  const service = of('Service', 'chillybin') as unknown as { spec: { ports: { port: number }[] } };
  expect(env(of('Deployment', 'jafflr')!, 'CHILLYBIN_URL')).toBe(`http://chillybin:${service.spec.ports[0]!.port}`);
});
