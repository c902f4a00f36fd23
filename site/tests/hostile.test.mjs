// Hostile and broken input through the WebAssembly build: every input must come back as a
// report (findings and all), never as a thrown error and never as a trap. The inputs: the
// issue's large documents (a million levels of nesting, a billion laughs, a 10 MB
// description, 1000 items), invalid UTF-8, every truncation and byte flip of a sample of
// fixtures from a seeded generator, and a sample of the fuzz corpus and of any crash inputs
// when `fuzz/run.sh` has made them (fuzz/corpus, fuzz/artifacts; both git-ignored).
// Needs site/build.sh.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATE, fixtures, loadPreclear, root } from './common.mjs';

const { preclear, PANIC_PREFIX } = await loadPreclear();
const encoder = new TextEncoder();

/** Checks one input: a report must come back, whatever the input. */
function mustReport(name, bytes) {
  let report;
  try {
    report = preclear.check(bytes, { file: name, date: DATE });
  } catch (error) {
    assert.fail(`${name}: ${error instanceof WebAssembly.RuntimeError ? 'a trap' : 'an error'}: ${error.message}`);
  }
  assert.ok(Array.isArray(report.findings), `${name}: no report`);
  return report;
}

function codes(report) {
  return report.findings.map((finding) => finding.code);
}

/** A small seeded generator (mulberry32), so that every run checks the same inputs. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const standard = readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'), 'utf8');

test('the issue\'s large documents end in a finding', () => {
  const depth = 1_000_000;
  const nested = `<MetaData xmlns="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</MetaData>`;
  assert.ok(codes(mustReport('nested.xml', encoder.encode(nested))).includes('PC-READ-017'));

  let laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n';
  laughs += `<!ENTITY lol1 "${'&lol;'.repeat(10)}">\n`;
  for (let level = 2; level <= 9; level += 1) laughs += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">\n`;
  laughs += ']>\n<MetaData>&lol9;</MetaData>\n';
  assert.ok(codes(mustReport('laughs.xml', encoder.encode(laughs))).includes('PC-READ-002'));

  const description = standard.replace(/<Description>[^<]*<\/Description>/, `<Description>${'Widgets. '.repeat(10 * 1024 * 1024 / 9)}</Description>`);
  assert.ok(codes(mustReport('description.xml', encoder.encode(description))).includes('PC-READ-017'));

  const item = standard.match(/<GovernmentAgencyGoodsItem>[\s\S]*<\/GovernmentAgencyGoodsItem>/)[0];
  const thousand = standard.replace(item, Array.from({ length: 1000 }, (_, index) => item.replace(/<SequenceNumeric>\d+<\/SequenceNumeric>/, `<SequenceNumeric>${index + 1}</SequenceNumeric>`)).join('\n'));
  assert.ok(codes(mustReport('items-1000.xml', encoder.encode(thousand))).includes('PC-READ-005'));

  const invalid = encoder.encode(standard);
  invalid[invalid.length - 40] = 0xff;
  assert.ok(codes(mustReport('invalid-utf8.xml', invalid)).includes('PC-READ-015'));
});

test('truncations and byte flips of the fixtures never trap', () => {
  const next = random(11);
  const sample = fixtures().filter((_, index) => index % 4 === 0);
  let checked = 0;
  for (const file of sample) {
    const bytes = readFileSync(join(root, file));
    for (let cut = 0; cut < 8; cut += 1) {
      mustReport(`${file} cut`, bytes.subarray(0, Math.floor(next() * bytes.length)));
      const flipped = Uint8Array.from(bytes);
      for (let flips = 0; flips < 1 + cut; flips += 1) {
        flipped[Math.floor(next() * flipped.length)] = Math.floor(next() * 256);
      }
      mustReport(`${file} flipped`, flipped);
      checked += 2;
    }
  }
  assert.ok(checked > 400, `only ${checked} inputs checked`);
});

/** Up to `count` files of a folder, evenly spread over its sorted listing. */
function spread(dir, count) {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).map((name) => join(dir, name)).filter((path) => statSync(path).isFile()).sort();
  const step = Math.max(1, Math.floor(files.length / count));
  return files.filter((_, index) => index % step === 0).slice(0, count);
}

test('the fuzz corpus and crash inputs never trap', () => {
  // Without a fuzzing run (no nightly), the seed corpus is what the fuzzers would start from:
  // fuzz/seed.sh builds it from the fixtures and the shared corpus with plain shell tools.
  const targets = ['check', 'read', 'notification'];
  const missing = targets.filter((target) => !existsSync(join(root, 'fuzz/corpus', target)));
  if (missing.length) {
    const seeded = spawnSync(join(root, 'fuzz/seed.sh'), missing, { cwd: root, encoding: 'utf8' });
    assert.equal(seeded.status, 0, `fuzz/seed.sh: ${seeded.stderr}`);
  }
  const inputs = [
    ...spread(join(root, 'fuzz/corpus/check'), 400),
    ...spread(join(root, 'fuzz/corpus/read'), 200),
    ...spread(join(root, 'fuzz/corpus/notification'), 100),
    ...['check', 'read', 'notification'].flatMap((target) => spread(join(root, 'fuzz/artifacts', target), 100)),
  ];
  assert.ok(inputs.length > 300, `only ${inputs.length} fuzz inputs`);
  for (const path of inputs) mustReport(path, readFileSync(path));
});

test('a report after all of this is still the CLI\'s report', () => {
  // No hostile input leaves the instance broken: the standard fixture reports as it did.
  const report = mustReport('fixtures/valid/import-standard-h1.xml', encoder.encode(standard));
  assert.equal(report.findings.filter((finding) => finding.severity === 'error').length, 0);
  assert.ok(!JSON.stringify(report).includes(PANIC_PREFIX));
});
