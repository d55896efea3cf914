// @ts-check
// The rules by which a consumer's recorded expectations (services/<consumer>/contract/<provider>.json)
// match what went over the wire: used by can-i-deploy.mjs on the provider's answers, and by the
// consumer's own contract test on the requests its client sends. CommonJS, so both the script
// (ESM, run where nothing is built) and jest (CommonJS) load this one file.
'use strict';

const TYPE = /^<([a-z|]+)>$/;

/**
 * The types a placeholder such as "<number|string>" allows, or undefined for any other value.
 * @param {unknown} value
 * @returns {string[] | undefined}
 */
function placeholderTypes(value) {
  if (typeof value !== 'string') return undefined;
  return TYPE.exec(value)?.[1]?.split('|');
}

/** @param {unknown} value */
const typeOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * Where `actual` differs from what the consumer expects, as "path: expected …, got …" lines.
 * A placeholder matches any value of its types; a one-element list matches a non-empty list
 * whose every element matches it, any other list one of the same length, element by element;
 * keys not listed may be anything, unless `exact` (a request, which the provider may refuse for
 * a key it does not know); any other value must be equal.
 * @param {unknown} expected @param {unknown} actual @param {string} path
 * @param {{ exact?: boolean }} [options]
 * @returns {string[]}
 */
function differences(expected, actual, path, options = {}) {
  const shown = JSON.stringify(actual);
  const types = placeholderTypes(expected);
  if (types) {
    return types.includes(typeOf(actual)) ? [] : [`${path}: expected ${types.map((type) => `a ${type}`).join(' or ')}, got ${shown === undefined ? 'nothing' : `${shown} (a ${typeOf(actual)})`}`];
  }
  if (Array.isArray(expected)) {
    if (expected.length === 1) {
      if (!Array.isArray(actual) || actual.length === 0) return [`${path}: expected a non-empty list, got ${shown ?? 'nothing'}`];
      return actual.flatMap((item, index) => differences(expected[0], item, `${path}[${index}]`, options));
    }
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${path}: expected a list of ${expected.length}, got ${shown ?? 'nothing'}`];
    return expected.flatMap((item, index) => differences(item, actual[index], `${path}[${index}]`, options));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${shown ?? 'nothing'}`];
    const record = /** @type {Record<string, unknown>} */ (actual);
    const unlisted = options.exact ? Object.keys(record).filter((key) => !Object.hasOwn(expected, key)).map((key) => `${path}.${key}: not expected, got ${JSON.stringify(record[key])}`) : [];
    return [...Object.entries(expected).flatMap(([key, value]) => differences(value, record[key], `${path}.${key}`, options)), ...unlisted];
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${shown ?? 'nothing'}`];
}

/**
 * `{run}` in a recorded request made one run's own (an idempotency key from an earlier run must
 * not answer for this one).
 * @param {string} text @param {string} run
 */
const withRun = (text, run) => text.replaceAll('{run}', run);

module.exports = { differences, placeholderTypes, withRun };
