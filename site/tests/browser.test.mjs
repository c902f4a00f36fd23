// The page in Debian's Chromium, driven by playwright-core: paste declarations and check what
// is shown (the summary, a finding's line link highlighting its element, the duties and the
// lane, the JSON download equal to the CLI's), time the result for a 4-item and a 999-item
// declaration, measure the download size, reload with the network off, and keep screenshots
// in site/test-output/.
// Needs site/build.sh, the CLI (`cargo build -p preclear`) and PRECLEAR_SHARED.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { cliPath, dist, root, shared, DATE } from './common.mjs';
import { serve } from './server.mjs';

const output = join(root, 'site/test-output');
mkdirSync(output, { recursive: true });
const corpus4 = join(shared(), 'corpus/hmrc-cds/TT_IM184a/Step1_TT_IM184a.xml');

let server;
let browser;
let context;
let page;
const foreign = [];
const pageErrors = [];

before(async () => {
  server = await serve(dist);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(server.url) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The CLI's report of `bytes` read from standard input, as `preclear check -` prints it. */
function cliReport(bytes) {
  const result = spawnSync(cliPath(), ['check', '--format', 'json', '--date', DATE, '-'], { input: bytes, maxBuffer: 256 << 20 });
  assert.ok(result.status === 0 || result.status === 1, String(result.stderr));
  return result.stdout;
}

/** Pastes `text` into the page as a broker would, and waits for its report to be shown. */
async function paste(text) {
  const before = await page.evaluate(() => window.preclearTimings.length);
  await page.evaluate((xml) => {
    const data = new DataTransfer();
    data.setData('text/plain', xml);
    const target = document.getElementById('intake').hidden ? document.body : document.getElementById('paste');
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction((count) => window.preclearTimings.length > count, before, { timeout: 60_000 });
  return page.evaluate(() => window.preclearTimings.at(-1));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A declaration of `count` goods items: TT_IM184a's first item, repeated and renumbered. */
function repeatItems(xml, count) {
  const open = xml.indexOf('<GovernmentAgencyGoodsItem>');
  const closeTag = '</GovernmentAgencyGoodsItem>';
  const last = xml.lastIndexOf(closeTag) + closeTag.length;
  const item = xml.slice(open, xml.indexOf(closeTag, open) + closeTag.length);
  const items = Array.from({ length: count }, (_, index) => item.replace(/<SequenceNumeric>\d+<\/SequenceNumeric>/, `<SequenceNumeric>${index + 1}</SequenceNumeric>`));
  return `${xml.slice(0, open)}${items.join('\n\t\t\t')}${xml.slice(last)}`
    .replace(/<GoodsItemQuantity>\d+<\/GoodsItemQuantity>/, `<GoodsItemQuantity>${count}</GoodsItemQuantity>`);
}

test('the page loads from its own origin under its Content-Security-Policy', async () => {
  await page.goto(server.url);
  await page.evaluate(() => window.preclearReady);
  assert.match(await page.locator('#status').textContent(), /Ready/);
  const boot = await page.evaluate(() => window.preclearTimings.boot);
  // What the first load fetched, gzipped as a static host would serve it.
  const fetched = [...new Set(server.requests)].filter((path) => !path.endsWith('/'));
  let raw = 0;
  let gzip = 0;
  for (const path of fetched) {
    const bytes = readFileSync(join(dist, path));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const wasm = readFileSync(join(dist, 'pkg/preclear_wasm_bg.wasm'));
  console.log(`first load: ${fetched.length} files, ${(raw / 1024).toFixed(0)} KiB raw, ${(gzip / 1024).toFixed(0)} KiB gzipped `
    + `(wasm ${(wasm.length / 1024).toFixed(0)} KiB raw, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(0)} KiB gzipped); ready in ${boot.toFixed(0)} ms`);
  assert.ok(gzip < 3 * 1024 * 1024, 'the first load stays under 3 MB gzipped');
  assert.ok(fetched.some((path) => path.startsWith('/tariffs/uk/')), 'the UK tariff is part of the first load');
  // Its risk profile too (the CLI bundles it), and the service worker keeps it for offline use.
  const riskFiles = ['tariffs/uk/risk/criteria.toml', 'tariffs/uk/risk/model.tsv'];
  for (const file of riskFiles) assert.ok(fetched.includes(`/${file}`), `${file} is part of the first load`);
  const precache = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(readFileSync(join(dist, 'sw.js'), 'utf8'))[1]);
  for (const file of riskFiles) assert.ok(precache.includes(file), `the service worker keeps ${file}`);
  assert.match(await page.locator('#status').textContent(), /risk profile/);
  assert.ok(!fetched.some((path) => path.startsWith('/tariffs/us/') || path.startsWith('/tariffs/eu/')), 'US and EU come on demand');
});

test('a declaration with an error: summary, finding, highlighted line, JSON download', async () => {
  await page.fill('#date', DATE);
  const file = join(root, 'fixtures/invalid/number-decimal-comma.xml');
  const bytes = readFileSync(file);
  await paste(bytes.toString('utf8'));

  const verdict = page.getByTestId('verdict');
  assert.match(await verdict.textContent(), /Will be rejected/);
  assert.equal(await page.getByTestId('count-errors').textContent(), '1 error');
  const finding = page.locator('.finding').filter({ hasText: 'PC-READ-006' });
  assert.match(await finding.textContent(), /`840,50` is not a number/);

  // The line link, used from the keyboard: it scrolls the source to the element and marks it.
  const link = finding.locator('.line-link');
  assert.equal(await link.textContent(), 'Line 73:7');
  await link.focus();
  await page.keyboard.press('Enter');
  const anchor = page.locator('.source-line.anchor');
  assert.equal(await anchor.getAttribute('data-line'), '73');
  assert.ok(await anchor.isVisible());
  assert.equal(await anchor.locator('mark').textContent(), '<GrossMassMeasure>840,50</GrossMassMeasure>');
  assert.match(await page.locator('#source-note').textContent(), /`840,50` is not a number.*line 73, column 7/);
  assert.equal(await finding.getAttribute('aria-current'), 'true');
  await page.screenshot({ path: join(output, 'errors.png') });

  // The download is the CLI's report of the same bytes, byte for byte.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'pasted.preclear.json');
  const downloaded = readFileSync(await download.path());
  assert.deepEqual(downloaded, cliReport(bytes));

  // Whatever the later stages put in the report is shown: tax lines, flags, matches, lane.
  const report = JSON.parse(downloaded.toString('utf8'));
  await assertSectionsShow(report);
});

/** Every tax line, flag, screening match and the lane of `report` appear on the page. */
async function assertSectionsShow(report) {
  const items = report.declaration?.items ?? [];
  const taxLine = items.flatMap((item) => item.tax_lines)[0];
  if (taxLine) {
    await page.click('#tab-items');
    assert.ok((await page.getByTestId('tax-amount').allTextContents()).some((text) => text.includes(taxLine.amount.amount.split('.')[0].replace(/\B(?=(\d{3})+(?!\d))/g, ','))));
  }
  const flag = items.flatMap((item) => item.flags)[0];
  if (flag) {
    await page.click('#tab-flags');
    assert.ok((await page.getByTestId('flag-status').count()) > 0);
  }
  if (report.parties.some((party) => party.matches.length)) {
    await page.click('#tab-parties');
    assert.ok((await page.getByTestId('party-match').count()) > 0);
  }
  if (report.lane) assert.match(await page.getByTestId('lane').textContent(), new RegExp(report.lane.lane));
  await page.click('#tab-findings');
}

test('restriction flags and sanctions matches from the packs the page loads', async () => {
  await page.fill('#date', DATE);
  for (const [path, tab, testId] of [
    ['fixtures/restricted/export-rifle-sudan-no-licence.xml', '#tab-flags', 'flag-status'],
    ['fixtures/sanctions/export-consignee-un-listed-entity.xml', '#tab-parties', 'party-match'],
  ]) {
    const bytes = readFileSync(join(root, path));
    await paste(bytes.toString('utf8'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const downloaded = readFileSync(await download.path());
    assert.deepEqual(downloaded, cliReport(bytes), path);
    await page.click(tab);
    assert.ok((await page.getByTestId(testId).count()) > 0, `${path}: ${testId} shown`);
    await page.click('#tab-findings');
  }
});

test('a declaration with duties: tax lines, totals, how they were assessed, and the lane', async () => {
  await page.fill('#date', DATE);
  const bytes = readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'));
  await paste(bytes.toString('utf8'));
  assert.match(await page.getByTestId('verdict').textContent(), /Ready to lodge/);

  // The summary: the lane with why, and the totals, in the assessment's currency and rounding.
  assert.equal(await page.getByTestId('lane').textContent(), 'blue');
  const laneCard = page.locator('.card').filter({ hasText: 'Risk lane' });
  assert.match(await laneCard.textContent(), /score 42\.21 · blue \(post-clearance audit\): score 42\.21 reaches the blue threshold 35/);
  assert.equal(await laneCard.locator('details.reasons summary').textContent(), '9 more reasons');
  const totals = page.getByTestId('totals');
  assert.match(await totals.textContent(), /Customs duty \(A00\)GBP 96\.40/);
  assert.match(await totals.textContent(), /VAT \(B00\)GBP 983\.28/);
  assert.equal(await page.getByTestId('assessment-summary').textContent(),
    'In GBP; each tax line rounded down to the penny; totals are sums of rounded lines');

  // The items: each tax line with its rate and amount, the item's valuation, the basis.
  await page.click('#tab-items');
  const lines = page.locator('#panel-items table.tax tbody tr');
  assert.equal(await lines.count(), 2);
  const cells = async (row) => lines.nth(row).locator('td').allTextContents();
  const [duty, vat] = [await cells(0), await cells(1)];
  assert.deepEqual([duty[0], duty[2], duty[3]], ['A00 Customs duty', '2.00%', 'GBP 96.40']);
  assert.equal(duty[4], '2.00% × 4820.00 GBP');
  assert.deepEqual([vat[0], vat[2], vat[3]], ['B00 VAT', '20.00%', 'GBP 983.28']);
  assert.equal(vat[4], '20.00% × 4916.40 GBP');
  assert.deepEqual(await page.getByTestId('valuation').allTextContents(), ['price 4820.00 GBP']);
  const assessment = await page.getByTestId('assessment').textContent();
  assert.match(assessment, /CurrencyGBP/);
  assert.match(assessment, /Roundingeach tax line rounded down to the penny/);
  assert.match(assessment, /ValuationCIF: price plus transport and insurance to the UK border/);
  assert.match(await page.locator('#panel-items tfoot').textContent(), /Total Customs duty \(A00\)GBP 96\.40.*Total VAT \(B00\)GBP 983\.28/);
  await page.screenshot({ path: join(output, 'duties.png') });
  await page.click('#tab-findings');

  // What the page shows is the report the CLI gives for the same bytes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const downloaded = readFileSync(await download.path());
  assert.deepEqual(downloaded, cliReport(bytes));
  const report = JSON.parse(downloaded.toString('utf8'));
  assert.equal(report.lane.lane, 'blue');
  await assertSectionsShow(report);
});

test('opening a file checks its exact bytes, even when they are not UTF-8', async () => {
  const dir = join(root, 'fixtures/invalid');
  const name = 'encoding-latin1-byte.xml';
  const before = await page.evaluate(() => window.preclearTimings.length);
  await page.setInputFiles('#file', join(dir, name));
  await page.waitForFunction((count) => window.preclearTimings.length > count, before);
  assert.match(await page.getByTestId('verdict').textContent(), /Cannot be read/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'encoding-latin1-byte.preclear.json');
  const cli = spawnSync(cliPath(), ['check', '--format', 'json', '--date', DATE, name], { cwd: dir, maxBuffer: 1 << 24 });
  assert.deepEqual(readFileSync(await download.path()), cli.stdout);
  await page.locator('.line-link').first().click();
  assert.ok(await page.locator('.source-line.anchor').isVisible());
});

test('F8 and Shift+F8 step through the findings', async () => {
  const two = readFileSync(join(root, 'fixtures/invalid/number-decimal-comma.xml'), 'utf8').replace('currencyID="GBP"', 'currencyID="gbp"');
  await paste(two);
  const lines = await page.locator('.finding .line-link').evaluateAll((links) => links.map((link) => Number(link.dataset.line)));
  assert.ok(lines.length >= 2, `findings with lines: ${lines}`);
  const anchor = () => page.locator('.source-line.anchor').getAttribute('data-line').then(Number);
  await page.locator('#tab-findings').focus();
  await page.keyboard.press('F8');
  assert.equal(await anchor(), lines[0]);
  await page.keyboard.press('F8');
  assert.equal(await anchor(), lines[1]);
  assert.equal(await page.locator('.finding[aria-current]').getAttribute('data-index'), '1');
  await page.keyboard.press('Shift+F8');
  assert.equal(await anchor(), lines[0]);
  assert.equal(await page.locator('#finding-previous').isDisabled(), true);
});

test('the sections render tax lines, flags, screening matches and the lane', async () => {
  // A report as the duty, screening and risk stages will fill it, rendered by the page's code.
  const shown = await page.evaluate(async () => {
    const render = await import(new URL('render.js', location.href).href);
    const money = (amount) => ({ amount, currency: 'GBP' });
    const report = {
      report_version: 1, file: '-', document: { kind: 'declaration', description: 'IMA declaration' },
      tariff: { jurisdiction: 'uk', version: 'v', date: '2025-01-01' },
      declaration: {
        type: 'IMA', function_code: '9', lrn: 'LRN1', mrn: null, goods_item_quantity: '1', invoice_amount: money('1000.00'),
        items: [{
          sequence: 1, commodity_code: '0106190000', additional_codes: [], description: 'Live primates', origin: 'US', origin_type: '1',
          preferential_origin: null, procedure: '4000', additional_procedures: [], preference: '100', item_price: money('1000.00'),
          customs_value: money('1000.00'), valuation: 'price 1000.00 GBP', statistical_value: null, gross_mass: '10', net_mass: '8', supplementary_units: null,
          tax_lines: [
            { type: 'A00', base: money('1000.00'), base_quantity: null, rate: '2.00%', amount: money('20.00'), formula: '2.00% × 1000.00 GBP', measure: '103', legal_basis: 'UKGT' },
            { type: 'B00', base: money('1020.00'), base_quantity: null, rate: '20.00%', amount: money('204.00'), formula: '20.00% × 1020.00 GBP', measure: 'VAT', legal_basis: 'VATA 1994' },
          ],
          flags: [{ rule: 'uk-cites-0101', category: 'cites', status: 'needs_document', documents: ['C400', 'C401'], legal_basis: 'COTES 2018', message: 'CITES permit required' }],
        }],
      },
      totals: [{ type: 'A00', amount: money('20.00') }, { type: 'B00', amount: money('204.00') }],
      assessment: { currency: 'GBP', rounding: 'each tax line rounded down to the penny', valuation: 'CIF: price plus transport and insurance' },
      parties: [{ role: 'consignee', id: null, name: 'Acme', country: 'GB', matches: [{ list: 'un', entry: 'ACME LTD', score: 0.97 }] }],
      lane: { lane: 'yellow', score: '0.55', reasons: ['restricted goods'] },
      findings: [],
    };
    const counts = render.tally(report);
    const box = (fill) => { const element = document.createElement('div'); fill(element); return element.textContent; };
    return {
      summary: box((element) => render.renderSummary(element, report, counts, '')),
      items: box((element) => render.renderItems(element, report, () => {})),
      flags: box((element) => render.renderFlags(element, report)),
      parties: box((element) => render.renderParties(element, report)),
    };
  });
  assert.match(shown.summary, /Check before lodging/);
  assert.match(shown.summary, /1 need documents/);
  assert.match(shown.summary, /yellow/);
  assert.match(shown.summary, /Customs duty \(A00\)GBP 20\.00/);
  assert.match(shown.summary, /VAT \(B00\)GBP 204\.00/);
  assert.match(shown.summary, /In GBP; each tax line rounded down to the penny/);
  assert.match(shown.items, /CurrencyGBPRoundingeach tax line rounded down to the pennyValuationCIF: price plus transport and insurance/);
  assert.match(shown.items, /customs valueprice 1000\.00 GBP/);
  assert.match(shown.items, /2\.00% × 1000\.00 GBP/);
  assert.match(shown.items, /GBP 224\.00/);
  assert.match(shown.flags, /Needs a document/);
  assert.match(shown.flags, /C400C401/);
  assert.match(shown.parties, /list: un · entry: ACME LTD · score: 0\.97/);
});

test('examples, tabs from the keyboard, and the tariff lookup', async () => {
  const before = await page.evaluate(() => window.preclearTimings.length);
  await page.selectOption('#example', 'examples/valid/import-multi-item-5.xml');
  await page.waitForFunction((count) => window.preclearTimings.length > count, before);
  assert.match(await page.getByTestId('verdict').textContent(), /Ready to lodge/);
  await page.focus('#tab-findings');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-items', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-items');
  assert.equal(await page.locator('#panel-items tbody.item').count(), 5);
  await page.locator('#panel-items button.code').first().click();
  const dialog = page.locator('#tariff-dialog');
  await page.waitForFunction(() => !document.querySelector('#tariff-dialog-body').textContent.includes('Looking it up'));
  assert.match(await dialog.textContent(), /UK tariff on \d{4}-\d\d-\d\d/);
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), false);
  await page.click('#tab-findings');

  // A declaration for the US, checked with the tariff it names: the page fetches it then.
  assert.ok(!server.requests.some((path) => path.startsWith('/tariffs/us/')));
  const us = readFileSync(join(root, 'fixtures/valid/import-standard-h1.xml'), 'utf8')
    .replace('>GB</md:ResponsibleCountryCode>', '>US</md:ResponsibleCountryCode>');
  await paste(us);
  assert.match(await page.locator('.card').filter({ hasText: 'Duty and taxes' }).textContent(), /US tariff/);
  assert.ok(server.requests.some((path) => path.startsWith('/tariffs/us/')));
});

test('time to result: a 4-item and a 999-item declaration', async () => {
  const four = readFileSync(corpus4, 'utf8');
  const many = repeatItems(four, 999);
  const times = { four: [], many: [] };
  for (let run = 0; run < 5; run += 1) times.four.push(await paste(four));
  assert.equal(await page.locator('#count-items').textContent(), '4');
  for (let run = 0; run < 3; run += 1) times.many.push(await paste(many));
  assert.equal(await page.locator('#count-items').textContent(), '999');
  await page.click('#tab-items');
  await page.screenshot({ path: join(output, 'items-999.png') });
  await page.click('#tab-findings');
  const report = (label, text, runs) => console.log(`time to result, ${label} (${(text.length / 1024).toFixed(0)} KiB): `
    + `median ${median(runs.map((run) => run.result)).toFixed(0)} ms shown, ${median(runs.map((run) => run.check)).toFixed(0)} ms in the check `
    + `(runs: ${runs.map((run) => run.result.toFixed(0)).join(', ')} ms shown; ${runs.map((run) => run.check.toFixed(1)).join(', ')} ms in the check)`);
  const warmUp = await page.evaluate(() => window.preclearTimings.warmUp);
  console.log(`warm-up after start: ${warmUp ? `${warmUp.runs} checks in ${warmUp.ms.toFixed(0)} ms` : 'not finished'}`);
  report('4 items, TT_IM184a', four, times.four);
  report('999 items', many, times.many);
  // Generous bounds: the targets are 100 ms and 1 s; a loaded CI machine must not fail here.
  assert.ok(median(times.four.map((run) => run.result)) < 1000);
  assert.ok(median(times.many.map((run) => run.result)) < 10_000);
});

test('with the network off, the page still opens and checks', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await context.setOffline(true);
  try {
    await page.reload();
    await page.evaluate(() => window.preclearReady);
    assert.match(await page.locator('#status').textContent(), /Ready/);
    await page.fill('#date', DATE);
    await paste(readFileSync(join(root, 'fixtures/invalid/currency-lowercase.xml'), 'utf8'));
    assert.match(await page.getByTestId('verdict').textContent(), /Will be rejected/);
  } finally {
    await context.setOffline(false);
  }
});

test('nothing left the page: no foreign request, no CSP violation, no error', async () => {
  assert.deepEqual(foreign, []);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(pageErrors, []);
});
