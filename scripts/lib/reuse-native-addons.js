// Copies native addons already compiled in another install (the repo's own node_modules)
// into a fresh `npm ci --ignore-scripts` install, when that is safe; prints the names of
// the packages it could not reuse, which the caller rebuilds the normal way.
//
// Why: better-sqlite3 compiles from source where no prebuilt binary can be downloaded
// (about 1m45 on one core here). Compiling it again for every rehearsal would double that
// for nothing when the same version was compiled on this machine, for this Node.
//
// "Safe" means: same package version, built by node-gyp (build/config.gypi exists) for
// the Node ABI running now (node_module_version), on this machine (same libc and arch).
//
//   npm query ':attr(scripts, [install])' | node reuse-native-addons.js <install-dir> <source-dir>
const { cpSync, existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const [installDir, sourceDir] = process.argv.slice(2);
const withInstallScripts = JSON.parse(readFileSync(0, 'utf8'));

function builtHereForThisNode(dir, version) {
  const manifest = join(dir, 'package.json');
  const gypConfig = join(dir, 'build', 'config.gypi');
  if (!existsSync(manifest) || !existsSync(gypConfig)) return false;
  if (JSON.parse(readFileSync(manifest, 'utf8')).version !== version) return false;
  const abi = /"node_module_version":\s*(\d+)/.exec(readFileSync(gypConfig, 'utf8'));
  return abi !== null && abi[1] === process.versions.modules;
}

for (const pkg of withInstallScripts) {
  const source = join(sourceDir, pkg.location);
  if (builtHereForThisNode(source, pkg.version)) {
    cpSync(join(source, 'build'), join(installDir, pkg.location, 'build'), { recursive: true });
    process.stderr.write(`reused ${pkg.name}@${pkg.version} compiled in ${sourceDir}\n`);
  } else {
    console.log(pkg.name);
  }
}
