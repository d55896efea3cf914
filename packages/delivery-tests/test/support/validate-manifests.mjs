// Validate Kubernetes manifests against real schemas: the built-in kinds against the
// Kubernetes OpenAPI schemas the kubernetes-models package ships, CloudNativePG's custom
// resources against the operator's CRDs as @kubernetes-models/cloudnative-pg ships them
// (generated from the CRDs of operator release 1.24.1; its package.json says which). Both
// are ES modules, hence this script, which the tests run with node. Models check types,
// required fields and enums but let unknown fields through; a custom resource's unknown
// fields are silently pruned by the API server, so those are looked for too
// (unknown-fields.mjs). Reads a JSON array of manifests on stdin; prints a JSON array of
// problems, one string each.
import { readFileSync } from 'node:fs';
import * as builtIn from 'kubernetes-models';
import * as cloudnativePg from '@kubernetes-models/cloudnative-pg';
import { unknownFields } from './unknown-fields.mjs';

/** @typedef {{ apiVersion: string, kind: string, metadata?: { name?: string } }} Manifest */

const CUSTOM_PACKAGE = '@kubernetes-models/cloudnative-pg';
/** @type {Record<string, any>} */
const models = { ...builtIn, ...cloudnativePg };

/**
 * The model of a kind; the packages keep them as models.apps.v1.Deployment, models.v1.Service,
 * models.postgresqlCnpgIo.v1.Cluster.
 * @param {string} apiVersion
 * @param {string} kind
 * @returns {(new (data: unknown) => { validate(): void }) | undefined}
 */
function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const groupKey = group === undefined ? undefined : group.replace(/\.([a-z])/g, (_, /** @type {string} */ c) => c.toUpperCase()).replace(/\./g, '');
  const versions = groupKey === undefined ? models : models[groupKey];
  return versions?.[version ?? '']?.[kind];
}

/** @type {Manifest[]} */
const manifests = JSON.parse(readFileSync(0, 'utf8'));
// The custom resources' kinds are declared in the package's postgresql.cnpg.io/v1/Cluster.d.ts and so on.
const isCustom = (/** @type {Manifest} */ manifest) => manifest.apiVersion.startsWith('postgresql.cnpg.io/');
const custom = manifests.filter(isCustom);
const unknown = unknownFields(custom.map((manifest) => ({ manifest, module: `${CUSTOM_PACKAGE}/${manifest.apiVersion}/${manifest.kind}`, type: `I${manifest.kind}` })), import.meta.dirname);
/** @type {string[]} */
const problems = [];
for (const manifest of manifests) {
  const name = `${manifest.kind} ${manifest.metadata?.name}`;
  const Model = modelOf(manifest.apiVersion, manifest.kind);
  if (!Model) {
    problems.push(`${name}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (isCustom(manifest)) problems.push(...(unknown[custom.indexOf(manifest)] ?? []).map((problem) => `${name}: ${problem}`));
}
console.log(JSON.stringify(problems));
