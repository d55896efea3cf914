// Fields a resource's schema does not know. The API server prunes them from a custom resource
// without a word (and refuses them under strict field validation), so a misspelt field would
// silently do nothing; yet the models' validate() lets them through (their JSON schemas leave
// objects open) and the package ships no schema of its own to check against. It does ship each
// kind as a TypeScript declaration generated from the same CRD, so the TypeScript compiler
// reads those and each manifest is walked beside its kind's type: a key that is neither a
// property nor covered by an index signature (a map, such as postgresql.parameters) is unknown.
import { join } from 'node:path';
import ts from 'typescript';

/** @typedef {{ manifest: unknown, module: string, type: string }} Resource a manifest, and the module and interface that declare its kind */

/**
 * The declared types, one per resource, from one in-memory program; plus whatever kept the
 * compiler from finding them (a declaration that did not load must not pass as "no unknown
 * fields": its type would be `any`).
 * @param {readonly Resource[]} resources
 * @param {string} fromDir where the modules resolve from
 */
function declaredTypes(resources, fromDir) {
  const fileName = join(fromDir, '__resources__.ts'); // never written: served from memory
  const text = resources.map(({ module, type }, i) => `export type T${i} = import(${JSON.stringify(module)}).${type};\n`).join('');
  const options = { strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es5.d.ts'], types: [], module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, ...rest) => (name === fileName ? source : getSourceFile.call(host, name, ...rest));
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  const program = ts.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  const types = source.statements.filter(ts.isTypeAliasDeclaration).map((alias) => checker.getTypeFromTypeNode(alias.type));
  const errors = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  return { checker, types, errors };
}

/**
 * @param {ts.TypeChecker} checker
 * @param {ts.Type} declared
 * @param {unknown} value
 * @param {string} path
 * @returns {string[]}
 */
function unknownIn(checker, declared, value, path) {
  if (value === null || typeof value !== 'object') return [];
  const type = checker.getNonNullableType(declared); // optional fields are `T | undefined`
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return []; // declared open
  if (Array.isArray(value)) {
    const item = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
    return item ? value.flatMap((element, i) => unknownIn(checker, item, element, `${path}[${i}]`)) : [];
  }
  const map = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  return Object.entries(value).flatMap(([key, item]) => {
    const property = checker.getPropertyOfType(type, key);
    const itemType = property ? checker.getTypeOfSymbol(property) : map;
    return itemType ? unknownIn(checker, itemType, item, `${path}.${key}`) : [`${path}.${key}: unknown field`];
  });
}

/**
 * Each resource's problems: its unknown fields (`.spec.instnces: unknown field`), or why its
 * declaration could not be read.
 * @param {readonly Resource[]} resources
 * @param {string} fromDir where the modules resolve from
 * @returns {string[][]}
 */
export function unknownFields(resources, fromDir) {
  if (resources.length === 0) return [];
  const { checker, types, errors } = declaredTypes(resources, fromDir);
  if (errors.length > 0) return resources.map(() => errors);
  return resources.map(({ manifest }, i) => unknownIn(checker, /** @type {ts.Type} */ (types[i]), manifest, ''));
}
