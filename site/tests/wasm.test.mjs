// The WebAssembly build against the native CLI: every fixture's report from `check` in Node
// must be byte for byte the line `preclear check --format json` prints for it, with each
// choice of tariff; `tariffShow` must return what `preclear tariff show --format json` prints;
// a panic must come back as an error, never as a trap. Needs site/build.sh and the CLI
// (`cargo build -p preclear`, or PRECLEAR_BIN).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cliPath, dist, fixtures, loadPreclear, root, DATE, readDts } from './common.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { preclear, PANIC_PREFIX, manifest } = await loadPreclear();
const cli = cliPath();
const files = fixtures();

function run(args) {
  const result = spawnSync(cli, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  return result;
}

/** The CLI's NDJSON for every fixture at once (exit 1 means some fixture has errors). */
function cliReports(tariff) {
  const tariffArgs = tariff === 'auto' ? [] : ['--tariff', tariff];
  const result = run(['check', '--format', 'json', '--date', DATE, ...tariffArgs, ...files]);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  const lines = result.stdout.split('\n');
  assert.equal(lines.pop(), '', 'the CLI ends every report with a newline');
  assert.equal(lines.length, files.length, 'one report per fixture');
  return lines;
}

for (const tariff of ['auto', 'uk', 'us', 'eu']) {
  test(`every fixture's report equals the CLI's (tariff ${tariff})`, async (t) => {
    const expected = cliReports(tariff);
    assert.ok(files.length > 40, `fixtures found: ${files.length}`);
    for (const [index, file] of files.entries()) {
      await t.test(file, () => {
        const json = preclear.checkJson(readFileSync(join(root, file)), { file, date: DATE, tariff });
        assert.equal(json, expected[index]);
      });
    }
  });
}

test('the site serves the UK risk profile, so reports carry lanes and duties as the CLI\'s do', () => {
  assert.deepEqual(manifest.uk.risk, { criteria: 'risk/criteria.toml', model: 'risk/model.tsv' });
  for (const name of ['codelists', 'uk/restrictions', 'sanctions', 'us', 'eu']) assert.equal(manifest[name].risk, undefined, name);
  const file = 'fixtures/valid/import-standard-h1.xml';
  const report = preclear.check(readFileSync(join(root, file)), { file, date: DATE });
  assert.equal(report.lane.lane, 'blue');
  assert.deepEqual(report.totals, [
    { type: 'A00', amount: { amount: '96.40', currency: 'GBP' } },
    { type: 'B00', amount: { amount: '983.28', currency: 'GBP' } },
  ]);
  assert.equal(report.assessment.currency, 'GBP');
  assert.equal(report.declaration.items[0].valuation, 'price 4820.00 GBP');
  // A US declaration has no profile (as in the CLI), nor does a GB one checked against the US tariff.
  const us = readFileSync(join(root, file), 'utf8').replace('>GB</md:ResponsibleCountryCode>', '>US</md:ResponsibleCountryCode>');
  assert.equal(preclear.check(us, { date: DATE }).lane, null);
  assert.equal(preclear.check(readFileSync(join(root, file)), { date: DATE, tariff: 'us' }).lane, null);
  // The byte comparisons above cover lanes and tax lines, not only their absence.
  const reports = files.map((path) => preclear.check(readFileSync(join(root, path)), { file: path, date: DATE }));
  assert.ok(reports.filter((each) => each.lane).length > 40, 'most fixtures get a lane');
  assert.ok(reports.filter((each) => each.totals.length).length > 10, 'many fixtures get duties');
});

test('the site serves the screening packs, so reports carry restriction flags and sanctions matches', () => {
  assert.equal(manifest['uk/restrictions'].kind, 'restrictions');
  assert.ok(manifest['uk/restrictions'].files.includes('embargoes.rules'));
  assert.equal(manifest.sanctions.kind, 'sanctions');
  const rifle = 'fixtures/restricted/export-rifle-sudan-no-licence.xml';
  const flags = preclear.check(readFileSync(join(root, rifle)), { file: rifle, date: DATE })
    .declaration.items.flatMap((item) => item.flags ?? []);
  assert.ok(flags.length > 0, 'the rifle for Sudan is flagged');
  const listed = 'fixtures/sanctions/export-consignee-un-listed-entity.xml';
  const parties = preclear.check(readFileSync(join(root, listed)), { file: listed, date: DATE }).parties;
  assert.ok(parties.some((party) => party.matches?.length > 0), 'the listed consignee matches');
  const plainError = /already loaded/;
  assert.throws(() => preclear.loadSanctions({ 'pack.toml': 'jurisdiction = "sanctions"\n' }), (error) => plainError.test(error.message) || /cannot load/.test(error.message));
  assert.throws(() => preclear.loadRestrictions({ 'pack.toml': 'not toml at all' }), /cannot load the pack|already loaded/);
});

test('check returns the report as a plain object of the same shape', () => {
  const file = 'fixtures/valid/import-standard-h1.xml';
  const bytes = readFileSync(join(root, file));
  const report = preclear.check(bytes, { file, date: DATE });
  assert.deepEqual(report, JSON.parse(preclear.checkJson(bytes, { file, date: DATE })));
  assert.equal(Object.getPrototypeOf(report), Object.prototype);
  assert.equal(report.tariff.jurisdiction, 'uk');
  // Text is checked as its UTF-8 bytes.
  assert.equal(preclear.checkJson(bytes.toString('utf8'), { file, date: DATE }), preclear.checkJson(bytes, { file, date: DATE }));
});

test('the generated TypeScript types name every field a report holds', () => {
  const declared = new Set([...readDts().matchAll(/^\s*(\w+)\??:/gm)].map((match) => match[1]));
  for (const match of readDts().matchAll(/[{;,]\s*(\w+)\??:/g)) declared.add(match[1]);
  const missing = new Set();
  const walk = (value, path) => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, `${path}[]`));
    else if (value && typeof value === 'object') {
      for (const [key, field] of Object.entries(value)) {
        if (!declared.has(key)) missing.add(`${path}.${key}`);
        // Free-form by contract: a finding's detail and a screening match.
        if (key !== 'detail' && key !== 'matches') walk(field, `${path}.${key}`);
      }
    }
  };
  for (const file of files) walk(preclear.check(readFileSync(join(root, file)), { file, date: DATE }), 'report');
  assert.deepEqual([...missing], [], 'add these fields to wasm/src/types.rs');
});

test('tariffShow returns what `preclear tariff show --format json` prints', () => {
  const cases = [
    ['uk', '8516108000', undefined],
    ['uk', '0302130000', 'NO'],
    ['uk', '2918140000', 'CN'],
    ['uk', '2208', undefined],
    ['us', '0402.29.50.00', undefined],
    ['eu', '8510900000', undefined],
    ['uk', '9999999999', undefined],
    ['uk', 'not a code', undefined],
  ];
  for (const [tariff, code, origin] of cases) {
    const originArgs = origin ? ['--origin', origin] : [];
    const result = run(['tariff', 'show', code, '--tariff', tariff, '--date', DATE, '--format', 'json', ...originArgs]);
    const options = { tariff, date: DATE, origin };
    if (result.status === 0) {
      assert.deepEqual(preclear.tariffShow(code, options), JSON.parse(result.stdout), `${tariff} ${code}`);
    } else {
      assert.throws(() => preclear.tariffShow(code, options), (error) => {
        assert.equal(`error: ${error.message}`, result.stderr.trim());
        return true;
      });
    }
  }
});

test('jurisdiction names the tariff an auto check uses', () => {
  assert.equal(preclear.jurisdiction(readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'))), 'uk');
  const us = readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'), 'utf8')
    .replace('>GB</md:ResponsibleCountryCode>', '>US</md:ResponsibleCountryCode>');
  assert.equal(preclear.jurisdiction(us), 'us');
  assert.equal(preclear.check(us, { date: DATE }).tariff.jurisdiction, 'us');
  assert.equal(preclear.jurisdiction(readFileSync(join(root, 'fixtures/other/notification-dmsacc-namespaced.xml'))), undefined);
});

test('bad options and bad packs are errors, not panics', () => {
  const bytes = readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'));
  const plainError = (pattern) => (error) => error instanceof Error
    && !(error instanceof WebAssembly.RuntimeError)
    && !error.message.startsWith(PANIC_PREFIX)
    && pattern.test(error.message);
  assert.throws(() => preclear.check(bytes, { tarrif: 'uk' }), plainError(/unknown field `tarrif`/));
  assert.throws(() => preclear.check(bytes, { tariff: 'fr' }), plainError(/not a jurisdiction/));
  assert.throws(() => preclear.check(bytes, { date: '2025-02-30' }), plainError(/options/));
  assert.throws(() => preclear.tariffShow('8516108000', { tariff: 'uk' }), plainError(/needs a date/));
  assert.throws(() => preclear.loadTariff({ 'pack.toml': 'jurisdiction = "uk"\n' }), plainError(/already loaded|cannot load/));
  assert.throws(() => preclear.loadTariff({ 'pack.toml': 'not toml at all' }), plainError(/cannot load the pack/));
  const criteria = readFileSync(join(dist, 'tariffs/uk', manifest.uk.risk.criteria), 'utf8');
  assert.throws(() => preclear.loadRisk('uk', criteria), plainError(/the uk risk profile is already loaded/));
  assert.throws(() => preclear.loadRisk('fr', criteria), plainError(/not a jurisdiction/));
  assert.throws(() => preclear.loadRisk('us', 'seed = "not a number"\n'), plainError(/cannot load the risk profile: risk criteria/));
  assert.throws(() => preclear.loadRisk('us', criteria, 'not a model'), plainError(/cannot load the risk profile: risk model/));
  assert.ok(preclear.check(bytes, { date: DATE }).report_version);
});

test('a panic reaches JS as an error, and the next call works', async () => {
  const file = 'fixtures/valid/import-multi-item-5.xml';
  const bytes = readFileSync(join(root, file));
  const before = preclear.checkJson(bytes, { file, date: DATE });
  // The fresh instance must hold the risk profile too: the report it gives has a lane.
  assert.ok(JSON.parse(before).lane, 'a lane before the panic');
  const isPanicError = (error) => {
    assert.ok(!(error instanceof WebAssembly.RuntimeError), `a trap reached JS: ${error}`);
    assert.ok(error instanceof Error);
    assert.ok(error.message.startsWith(PANIC_PREFIX), error.message);
    assert.match(error.message, /deliberate panic for the tests/);
    return true;
  };
  assert.throws(() => preclear.panicForTests(), isPanicError);
  // A fresh instance with the same packs answers at once.
  assert.equal(preclear.checkJson(bytes, { file, date: DATE }), before);
  // Twice in a row, before a spare instance is ready: still an error, never a trap.
  assert.throws(() => preclear.panicForTests(), isPanicError);
  assert.throws(() => preclear.panicForTests(), (error) => error.message.startsWith(PANIC_PREFIX));
  await preclear.ready();
  assert.equal(preclear.checkJson(bytes, { file, date: DATE }), before);
  assert.equal(`preclear ${preclear.version()}`, run(['--version']).stdout.trim());
});
