import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeWithTool } from '@toasties/testkit';
import { readYamlDocuments, repoFiles } from './support/files';
import { output, repoRoot } from './support/run';

// Every Kubernetes manifest, checked against the real schemas: the built-in kinds against
// Kubernetes' OpenAPI schemas (the kubernetes-models package), CloudNativePG's Cluster and
// ScheduledBackup against the operator's CRDs (@kubernetes-models/cloudnative-pg, generated
// from operator release 1.24.1's), unknown fields included. Then the PostgreSQL overlay as
// kustomize renders it: what it must change about chillybin, and nothing else.

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

const validator = join(__dirname, 'support', 'validate-manifests.mjs');
const problemsIn = (manifests: readonly unknown[]): string[] => JSON.parse(output(process.execPath, [validator], { input: JSON.stringify(manifests) })) as string[];
const documents = (yaml: string) => parseAllDocuments(yaml).map((doc) => doc.toJS() as Manifest);

test('every manifest file in k8s/ that is a whole resource is valid against its schema', () => {
  const files = repoFiles(/^k8s\/.*\.yaml$/).filter((path) => !/kustomization\.yaml$/.test(path) && !/overlays\/postgres\/chillybin-/.test(path));
  const manifests = files.flatMap((path) => readYamlDocuments<Manifest>(path));
  expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'PodDisruptionBudget', 'PersistentVolumeClaim', 'Namespace', 'Cluster', 'ScheduledBackup']));
  expect(problemsIn(manifests)).toEqual([]);
});

test('the validation is real: a wrong type and a missing field are each caught', () => {
  const [deployment] = readYamlDocuments<Manifest>('k8s/base/chillybin/deployment.yaml');
  const problems = problemsIn([
    { ...deployment, spec: { ...deployment!.spec, replicas: 'three' } },
    { ...deployment, spec: { ...deployment!.spec, selector: undefined } },
  ]);
  expect(problems).toEqual([
    expect.stringMatching(/Deployment chillybin: .*replicas must be integer/),
    expect.stringMatching(/Deployment chillybin: .*must have required property '?selector'?/),
  ]);
});

test('the custom resources\' validation is real: a wrong type, misspelt fields and a missing field are each caught', () => {
  const [cluster] = readYamlDocuments<Manifest>('k8s/overlays/postgres/database.yaml');
  const [backup] = readYamlDocuments<Manifest>('k8s/overlays/postgres/scheduled-backup.yaml');
  const problems = problemsIn([
    { ...cluster, spec: { ...cluster!.spec, instances: 'three' } },
    { ...cluster, spec: { ...cluster!.spec, instnces: 3, bootstrap: { initdb: { databse: 'chillybin', owner: 'chillybin' } } } },
    { ...backup, spec: { ...backup!.spec, cluster: undefined } },
  ]);
  expect(problems).toEqual([
    expect.stringMatching(/^Cluster chillybin-db: .*spec\/instances must be integer$/),
    'Cluster chillybin-db: .spec.bootstrap.initdb.databse: unknown field',
    'Cluster chillybin-db: .spec.instnces: unknown field',
    expect.stringMatching(/^ScheduledBackup chillybin-db-nightly: .*spec must have required property '?cluster'?$/),
  ]);
});

describeWithTool({ command: 'kubectl', install: 'apt-get install kubectl (on this project\'s machines it comes with the image; Debian\'s own is kubernetes-client)' }, 'k8s/overlays/postgres, as kustomize renders it', () => {
  const render = (dir: string) => documents(output('kubectl', ['kustomize', join(repoRoot, dir)]));
  // Rendered in beforeAll, not while jest collects the tests: a skipped describe's body
  // still runs, and without kubectl the render would fail the whole file.
  let base: Manifest[];
  let overlay: Manifest[];
  beforeAll(() => {
    base = render('k8s');
    overlay = render('k8s/overlays/postgres');
  });
  const of = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name) as Manifest & { spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

  test('every rendered manifest is valid against its schema', () => {
    expect(problemsIn(base)).toEqual([]);
    expect(problemsIn(overlay)).toEqual([]);
  });

  test('chillybin: 3 replicas, a rolling update with none missing, on any node, no volume', () => {
    const deployment = of(overlay, 'Deployment', 'chillybin');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const pod = deployment.spec.template.spec;
    expect(pod.affinity).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }]);
    expect(overlay.filter((m) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  test('DATABASE_URL comes from the Secret CloudNativePG creates for the Cluster, and DATABASE_PATH is gone', () => {
    const cluster = of(overlay, 'Cluster', 'chillybin-db');
    const env = of(overlay, 'Deployment', 'chillybin').spec.template.spec.containers[0].env as { name: string; valueFrom?: unknown }[];
    expect(env.find((e) => e.name === 'DATABASE_URL')?.valueFrom).toEqual({ secretKeyRef: { name: `${cluster.metadata.name}-app`, key: 'uri' } });
    expect(env.find((e) => e.name === 'DATABASE_PATH')).toBeUndefined();
    expect(cluster.spec.instances).toBe(3);
    expect(of(overlay, 'ScheduledBackup', 'chillybin-db-nightly').spec.cluster).toEqual({ name: cluster.metadata.name });
  });

  test('a disruption budget lets a drain take one replica at a time', () => {
    expect(of(overlay, 'PodDisruptionBudget', 'chillybin').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'chillybin' } } });
  });

  test('nothing else changes: jafflr and the rest render as in the base', () => {
    const others = (manifests: Manifest[]) => manifests.filter((m) => m.metadata.name !== 'chillybin' && m.metadata.name !== 'chillybin-data' && !m.apiVersion.startsWith('postgresql.cnpg.io'));
    expect(others(overlay)).toEqual(others(base));
  });
});
