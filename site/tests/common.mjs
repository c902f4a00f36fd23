// Shared by the Node and browser tests: where things are, the fixtures, the CLI, and
// Preclear loaded from site/dist with the packs the page serves.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = join(root, 'site/dist');
/** The date the fixtures are checked at when they give none (as in tests/tests/it/fixtures.rs). */
export const DATE = '2025-01-01';

function need(path, hint) {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
  return path;
}

/** Every `fixtures/**\/*.xml`, sorted, relative to the workspace root (as the CLI names them). */
export function fixtures() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.toLowerCase().endsWith('.xml') ? [relative(root, path).split('\\').join('/')] : [];
  });
  return walk(join(root, 'fixtures')).sort();
}

/** The native CLI the wasm build is compared with. */
export function cliPath() {
  return need(process.env.PRECLEAR_BIN ?? join(root, 'target/debug/preclear'), 'run `cargo build -p preclear` or set PRECLEAR_BIN');
}

/** The generated TypeScript declarations. */
export function readDts() {
  return readFileSync(need(join(dist, 'pkg/preclear_wasm.d.ts'), 'run site/build.sh'), 'utf8');
}

/** The shared corpus (`PRECLEAR_SHARED`, as the Rust tests read it). */
export function shared() {
  const path = process.env.PRECLEAR_SHARED;
  if (!path) throw new Error('PRECLEAR_SHARED is not set (e.g. PRECLEAR_SHARED=../shared)');
  return need(path, 'PRECLEAR_SHARED must name the shared folder');
}

/** Preclear from site/dist with every pack, and every risk profile, the site serves. */
export async function loadPreclear() {
  const pkg = need(join(dist, 'pkg/preclear.js'), 'run site/build.sh');
  const { Preclear, PANIC_PREFIX } = await import(pathToFileURL(pkg).href);
  const preclear = await Preclear.load(readFileSync(join(dist, 'pkg/preclear_wasm_bg.wasm')));
  const manifest = JSON.parse(readFileSync(join(dist, 'tariffs/manifest.json'), 'utf8'));
  const read = (name, file) => readFileSync(join(dist, 'tariffs', name, file), 'utf8');
  for (const [name, { kind, files, risk }] of Object.entries(manifest)) {
    const texts = Object.fromEntries(files.map((file) => [file, read(name, file)]));
    if (kind === 'codelists') preclear.loadCodeLists(texts);
    else if (kind === 'restrictions') preclear.loadRestrictions(texts);
    else if (kind === 'sanctions') preclear.loadSanctions(texts);
    else preclear.loadTariff(texts);
    if (risk) preclear.loadRisk(name, read(name, risk.criteria), risk.model ? read(name, risk.model) : undefined);
  }
  return { preclear, PANIC_PREFIX, manifest };
}
