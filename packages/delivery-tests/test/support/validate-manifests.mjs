// Validate Kubernetes manifests against real schemas: the built-in kinds against the
// Kubernetes OpenAPI schemas the kubernetes-models package ships (an ES module, hence this
// script, which the tests run with node), custom resources against their CRD's
// openAPIV3Schema (test/fixtures/crds, CloudNativePG's own). Reads a JSON array of
// manifests on stdin; prints a JSON array of problems, one string each.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
import * as models from 'kubernetes-models';

const crdDir = new URL('../fixtures/crds/', import.meta.url).pathname;

/** apiVersion + kind → the CRD version's schema. */
function crdSchemas() {
  const schemas = new Map();
  for (const file of readdirSync(crdDir).filter((name) => name.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(crdDir, file), 'utf8'));
    for (const version of crd.spec.versions) schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
  }
  return schemas;
}

/** The module kubernetes-models keeps a kind in: "apps/v1" → models.apps.v1, "v1" → models.v1, "policy/v1" → models.policy.v1. */
function builtInModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const groupKey = group === undefined ? undefined : group.replace(/\.([a-z])/g, (_, c) => c.toUpperCase()).replace(/\./g, '');
  const versions = groupKey === undefined ? models : models[groupKey];
  return versions?.[version]?.[kind];
}

/**
 * Fields the schema does not know: the API server prunes them from a custom resource
 * without a word (and refuses them with strict field validation), so a typo would
 * silently do nothing. Objects that declare their properties are closed unless they say
 * otherwise (additionalProperties, x-kubernetes-preserve-unknown-fields).
 */
function unknownFields(schema, value, path) {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(schema.items, item, `${path}[${i}]`));
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return Object.entries(value).flatMap(([key, item]) => unknownFields(schema.additionalProperties, item, `${path}.${key}`));
  if (!schema.properties) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    if (path === '' && ['apiVersion', 'kind', 'metadata'].includes(key)) return [];
    const property = schema.properties[key];
    return property ? unknownFields(property, item, `${path}.${key}`) : [`${path}.${key}: unknown field`];
  });
}

const manifests = JSON.parse(readFileSync(0, 'utf8'));
const crds = crdSchemas();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
const problems = [];
for (const manifest of manifests) {
  const name = `${manifest.kind} ${manifest.metadata?.name}`;
  const crd = crds.get(`${manifest.apiVersion} ${manifest.kind}`);
  if (crd) {
    const validate = ajv.compile(crd);
    if (!validate(manifest)) problems.push(...validate.errors.map((error) => `${name}: ${error.instancePath} ${error.message}`));
    problems.push(...unknownFields(crd, manifest, '').map((problem) => `${name}: ${problem}`));
    continue;
  }
  const Model = builtInModel(manifest.apiVersion, manifest.kind);
  if (!Model) {
    problems.push(`${name}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}
console.log(JSON.stringify(problems));
