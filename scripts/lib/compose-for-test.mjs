// Prints docker/compose.yml as scripts/compose-test.sh runs it, on stdout:
//   node compose-for-test.mjs <compose.yml> [<prometheus image>]
// Only what a test run on a shared machine needs differs from the file people run:
//   - no fixed host ports (another copy of the stack may hold 7000): the engine picks;
//   - no `name:` (the project name is one per run, from -p);
//   - only the services without a profile and those of the monitoring profile, less Grafana:
//     the other profiles' images (PostgreSQL, Unleash ...) and Grafana's come only from a
//     registry, and the test covers SQLite; volumes only they use go with them;
//   - no `build:`, the images are built beforehand by scripts/image-test.sh, as CD builds them;
//   - Prometheus from a stand-in image where the registry's cannot be pulled.
// Docker Compose 1.x (Debian's) reads the result too: it knows neither `name:` nor
// `depends_on.required`, both of which only concern the removed parts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [file, prometheusImage] = process.argv.slice(2);
const require = createRequire(new URL('../../package.json', import.meta.url));
const { parse, stringify } = require('yaml');

const compose = parse(readFileSync(file, 'utf8'));
delete compose.name;
const tested = (name, service) => name !== 'grafana' && (!service.profiles || service.profiles.includes('monitoring'));
compose.services = Object.fromEntries(Object.entries(compose.services).filter(([name, service]) => tested(name, service)));
// A named volume is `name:path[:mode]`; a bind mount starts with . or /.
const volumesUsed = new Set(
  Object.values(compose.services).flatMap((service) => (service.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume.split(':')[0] : volume.source))),
);
if (compose.volumes) {
  compose.volumes = Object.fromEntries(Object.entries(compose.volumes).filter(([name]) => volumesUsed.has(name)));
  if (Object.keys(compose.volumes).length === 0) delete compose.volumes;
}
for (const service of Object.values(compose.services)) {
  delete service.build;
  delete service.profiles;
  if (service.ports) service.ports = service.ports.map((port) => port.replace(/^127\.0\.0\.1:\d+:/, '127.0.0.1::'));
  if (service.depends_on) {
    for (const [name, condition] of Object.entries(service.depends_on)) {
      if (!compose.services[name]) delete service.depends_on[name];
      else delete condition.required;
    }
    if (Object.keys(service.depends_on).length === 0) delete service.depends_on;
  }
}
if (prometheusImage) compose.services.prometheus.image = prometheusImage;
process.stdout.write(stringify(compose));
