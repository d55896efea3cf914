// Validate Kubernetes manifests against real schemas: the built-in kinds against the
// Kubernetes OpenAPI schemas the kubernetes-models package ships (an ES module, hence this
// script, which the tests run with node), custom resources against their CRD's
// openAPIV3Schema when CNPG_CRDS names a folder of CRD files (the operator's own, e.g.
// `kubectl get crd clusters.postgresql.cnpg.io -o yaml`; this repository does not carry a
// copy); without it, custom resources are left out. Reads a JSON array of manifests on
// stdin; prints a JSON array of problems, one string each.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import AjvModule from 'ajv';
import * as models from 'kubernetes-models';

const crdDir = process.env.CNPG_CRDS;

/** @typedef {{ properties?: Record<string, Schema>, items?: Schema, additionalProperties?: Schema | boolean, 'x-kubernetes-preserve-unknown-fields'?: boolean }} Schema */
/** @typedef {{ apiVersion: string, kind: string, metadata?: { name?: string } }} Manifest */

// ajv is CommonJS: its class is the default export's own default.
const Ajv = /** @type {typeof import('ajv').default} */ (/** @type {unknown} */ (AjvModule.default ?? AjvModule));

/**
 * apiVersion + kind → the CRD version's schema.
 * @returns {Map<string, Schema>}
 */
function crdSchemas() {
  const schemas = new Map();
  if (!crdDir) return schemas;
  for (const file of readdirSync(crdDir).filter((name) => name.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(crdDir, file), 'utf8'));
    for (const version of crd.spec.versions) schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
  }
  return schemas;
}

/** The module kubernetes-models keeps a kind in: "apps/v1" → models.apps.v1, "v1" → models.v1, "policy/v1" → models.policy.v1. */
/**
 * @param {string} apiVersion
 * @param {string} kind
 * @returns {(new (data: unknown) => { validate(): void }) | undefined}
 */
function builtInModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const groupKey = group === undefined ? undefined : group.replace(/\.([a-z])/g, (_, /** @type {string} */ c) => c.toUpperCase()).replace(/\./g, '');
  /** @type {Record<string, any>} */
  const byGroup = models;
  const versions = groupKey === undefined ? byGroup : byGroup[groupKey];
  return versions?.[version ?? '']?.[kind];
}

/**
 * Fields the schema does not know: the API server prunes them from a custom resource
 * without a word (and refuses them with strict field validation), so a typo would
 * silently do nothing. Objects that declare their properties are closed unless they say
 * otherwise (additionalProperties, x-kubernetes-preserve-unknown-fields).
 */
/**
 * @param {Schema | undefined} schema
 * @param {unknown} value
 * @param {string} path
 * @returns {string[]}
 */
function unknownFields(schema, value, path) {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(schema.items, item, `${path}[${i}]`));
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  const { additionalProperties, properties } = schema;
  if (additionalProperties && typeof additionalProperties === 'object') return Object.entries(value).flatMap(([key, item]) => unknownFields(additionalProperties, item, `${path}.${key}`));
  if (!properties) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    if (path === '' && ['apiVersion', 'kind', 'metadata'].includes(key)) return [];
    const property = properties[key];
    return property ? unknownFields(property, item, `${path}.${key}`) : [`${path}.${key}: unknown field`];
  });
}

/** @type {Manifest[]} */
const manifests = JSON.parse(readFileSync(0, 'utf8'));
const crds = crdSchemas();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
/** @type {string[]} */
const problems = [];
for (const manifest of manifests) {
  const name = `${manifest.kind} ${manifest.metadata?.name}`;
  const crd = crds.get(`${manifest.apiVersion} ${manifest.kind}`);
  if (crd) {
    const validate = ajv.compile(crd);
    if (!validate(manifest)) problems.push(...(validate.errors ?? []).map((error) => `${name}: ${error.instancePath} ${error.message}`));
    problems.push(...unknownFields(crd, manifest, '').map((problem) => `${name}: ${problem}`));
    continue;
  }
  if (!crdDir && manifest.apiVersion.startsWith('postgresql.cnpg.io/')) continue; // no CRDs given: not checked here
  const Model = builtInModel(manifest.apiVersion, manifest.kind);
  if (!Model) {
    problems.push(`${name}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log(JSON.stringify(problems));
