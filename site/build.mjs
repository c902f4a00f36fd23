// Assembles site/dist around the WebAssembly that build.sh put in dist/pkg: the page's
// files, the JS wrapper, the tariff packs (with their risk profiles) and a manifest, the
// example declarations, and the
// service worker with the list of files it keeps for offline use. Prints the download sizes.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const site = dirname(fileURLToPath(import.meta.url));
const root = join(site, '..');
const dist = join(site, 'dist');

/**
 * Packs the page can load, by folder under tariffs/, with what kind of pack each is; the
 * first load carries the code lists, the UK tariff and the screening packs (every check
 * screens its parties), the US and EU tariffs come on demand.
 */
const KINDS = {
  codelists: 'codelists',
  uk: 'tariff',
  'uk/restrictions': 'restrictions',
  sanctions: 'sanctions',
  us: 'tariff',
  eu: 'tariff',
};
const PACKS = Object.keys(KINDS);
const FIRST_LOAD_PACKS = new Set(['codelists', 'uk', 'uk/restrictions', 'sanctions']);

/** The example declarations the page offers, from fixtures/ (each says what it is). */
const EXAMPLES = [
  'valid/import-standard-h1.xml',
  'valid/import-multi-item-5.xml',
  'valid/import-quota-antidumping-2-items.xml',
  'valid/import-manual-tax-spirits.xml',
  'valid/export-exa-air-2-items.xml',
  'invalid/number-decimal-comma.xml',
  'invalid/currency-lowercase.xml',
  'invalid/type-code-duplicated.xml',
  'warnings/misplaced-element-commodity-order.xml',
  'other/notification-dmsrej-pointers.xml',
];

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

// The page and the wrapper.
for (const file of files(join(site, 'src'))) copy(file, join(dist, relative(join(site, 'src'), file)));
copy(join(root, 'wasm/js/preclear.js'), join(dist, 'pkg/preclear.js'));
copy(join(root, 'wasm/js/preclear.d.ts'), join(dist, 'pkg/preclear.d.ts'));

// The packs, as `preclear check` bundles them (see tariffs/README.md): pack.toml, the files its
// sources list, the authored rules (`authored_*.tsv`, written by hand, so in no source), and
// the pack's risk profile when it has one (`risk/criteria.toml`, `risk/model.tsv`): the page
// loads it with the pack, so that its reports carry the same duties and lane.
const manifest = {};
for (const pack of PACKS) {
  const meta = readFileSync(join(root, 'tariffs', pack, 'pack.toml'), 'utf8');
  const names = ['pack.toml'];
  for (const [, list] of meta.matchAll(/^files = \[(.*)\]$/gm)) {
    for (const [, name] of list.matchAll(/"([^"]+)"/g)) names.push(name);
  }
  names.push(...readdirSync(join(root, 'tariffs', pack)).filter((name) => /^authored_.*\.tsv$/.test(name)).sort());
  // A prebuilt index the importer derives from the tables (the sanctions names): without it
  // the page would build it at load.
  const index = meta.match(/^index = "([^"]+)"$/m);
  if (index) names.push(index[1]);
  // A restriction pack's rules are every `*.rules` file, in name order (as `RulePack::load` reads them).
  if (KINDS[pack] === 'restrictions') names.push(...readdirSync(join(root, 'tariffs', pack)).filter((name) => name.endsWith('.rules')).sort());
  const risk = {};
  for (const [key, name] of [['criteria', 'risk/criteria.toml'], ['model', 'risk/model.tsv']]) {
    if (existsSync(join(root, 'tariffs', pack, name))) risk[key] = name;
  }
  if (risk.model && !risk.criteria) throw new Error(`tariffs/${pack}: a risk model needs its criteria.toml`);
  let bytes = 0;
  let gzip = 0;
  for (const name of [...names, ...Object.values(risk)]) {
    const to = join(dist, 'tariffs', pack, name);
    copy(join(root, 'tariffs', pack, name), to);
    bytes += statSync(to).size;
    gzip += gzipped(to);
  }
  manifest[pack] = { kind: KINDS[pack], files: names, ...(risk.criteria ? { risk } : {}), bytes, gzip };
}
writeFileSync(join(dist, 'tariffs/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// The examples, titled by their first comment.
const examples = EXAMPLES.map((path) => {
  const text = readFileSync(join(root, 'fixtures', path), 'utf8');
  const comment = /<!--\s*([\s\S]*?)\s*-->/.exec(text)?.[1] ?? path;
  copy(join(root, 'fixtures', path), join(dist, 'examples', path));
  return { path: `examples/${path}`, title: comment.replace(/\s+/g, ' ') };
});
writeFileSync(join(dist, 'examples/index.json'), `${JSON.stringify(examples, null, 2)}\n`);

// The service worker keeps every file but the on-demand packs, which it keeps once fetched;
// its version changes with any file, so a new build replaces the old cache.
const all = files(dist).map((file) => relative(dist, file).split('\\').join('/'));
const onDemand = (file) => PACKS.some((pack) => !FIRST_LOAD_PACKS.has(pack) && file.startsWith(`tariffs/${pack}/`));
const precache = ['./', ...all.filter((file) => !onDemand(file) && file !== 'sw.js' && !file.endsWith('.d.ts'))];
const hash = createHash('sha256');
for (const file of all.sort()) hash.update(file).update(readFileSync(join(dist, file)));
const version = hash.digest('hex').slice(0, 16);
const worker = readFileSync(join(dist, 'sw.js'), 'utf8')
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace("['__PRECACHE__']", JSON.stringify(precache));
writeFileSync(join(dist, 'sw.js'), worker);

// Sizes: what a browser downloads, raw and gzipped.
const size = (file) => ({ bytes: statSync(join(dist, file)).size, gzip: gzipped(join(dist, file)) });
const page = all.filter((file) => !file.startsWith('tariffs/') && !file.startsWith('examples/') && !file.endsWith('.d.ts'));
const sum = (list) => list.reduce((total, item) => ({ bytes: total.bytes + item.bytes, gzip: total.gzip + item.gzip }), { bytes: 0, gzip: 0 });
const sizes = {
  wasm: size('pkg/preclear_wasm_bg.wasm'),
  page: sum(page.map(size)),
  packs: Object.fromEntries(PACKS.map((pack) => [pack, { bytes: manifest[pack].bytes, gzip: manifest[pack].gzip }])),
};
sizes.first_load = sum([sizes.page, ...[...FIRST_LOAD_PACKS].map((pack) => sizes.packs[pack])]);
writeFileSync(join(dist, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(0).padStart(6)} KiB`;
const line = (name, { bytes, gzip }) => console.log(`${name.padEnd(34)}${kb(bytes)} raw ${kb(gzip)} gzipped`);
console.log(`site/dist (service worker version ${version}):`);
line('preclear_wasm_bg.wasm', sizes.wasm);
line('page (wasm, JS, HTML, CSS)', sizes.page);
for (const pack of PACKS) {
  const notes = [manifest[pack].risk ? 'with risk profile' : '', FIRST_LOAD_PACKS.has(pack) ? '' : 'on demand'].filter(Boolean);
  line(`tariffs/${pack}${notes.length ? ` (${notes.join(', ')})` : ''}`, sizes.packs[pack]);
}
line('first load (page, UK, screening, code lists)', sizes.first_load);
