// The pre-check page: loads Preclear, the UK tariff and its risk profile, takes a declaration (drop, open,
// paste, example), checks it in this tab and shows the report. Nothing is sent anywhere: the
// only requests are for the page's own files (see the Content-Security-Policy in index.html).

import { Preclear } from './pkg/preclear.js';
import { h, fill, count, plural, today, painted } from './util.js';
import { SourceView } from './source.js';
import { tally, renderSummary, renderFindings, renderItems, renderFlags, renderParties, renderJson, renderCommodity } from './render.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

const state = {
  preclear: null,
  manifest: null,
  fetches: new Map(),
  packs: new Map(),
  input: null,
  report: null,
  json: '',
  ready: null,
  generation: 0,
  showFinding: null,
  selected: -1,
};

/** Timings of the last check, for the summary and the browser test. */
window.preclearTimings = [];

function say(message, tone = '') {
  status.textContent = message;
  status.dataset.tone = tone;
}

async function fetchOk(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  return response;
}

/**
 * Fetches a pack's files and its risk profile's, once per pack:
 * `{ files: { file name: text }, risk: { criteria, model } | null }`.
 */
function fetchPack(name) {
  if (!state.fetches.has(name)) {
    const fetching = (async () => {
      const entry = state.manifest[name];
      if (!entry) throw new Error(`no ${name} pack on this site`);
      const text = async (file) => (await fetchOk(`tariffs/${name}/${file}`)).text();
      const [texts, criteria, model] = await Promise.all([
        Promise.all(entry.files.map(text)),
        entry.risk?.criteria ? text(entry.risk.criteria) : null,
        entry.risk?.model ? text(entry.risk.model) : null,
      ]);
      return {
        files: Object.fromEntries(entry.files.map((file, index) => [file, texts[index]])),
        risk: criteria === null ? null : { criteria, model },
      };
    })();
    fetching.catch(() => state.fetches.delete(name));
    state.fetches.set(name, fetching);
  }
  return state.fetches.get(name);
}

/** Fetches a pack and hands it to Preclear with its risk profile, once per pack. */
function ensurePack(name) {
  if (!state.packs.has(name)) {
    const loading = fetchPack(name).then(({ files, risk }) => {
      const { kind } = state.manifest[name];
      if (kind === 'codelists') return state.preclear.loadCodeLists(files);
      if (kind === 'restrictions') return state.preclear.loadRestrictions(files);
      if (kind === 'sanctions') return state.preclear.loadSanctions(files);
      const info = state.preclear.loadTariff(files);
      if (risk) state.preclear.loadRisk(name, risk.criteria, risk.model);
      return { ...info, risk: Boolean(risk) };
    });
    loading.catch(() => state.packs.delete(name));
    state.packs.set(name, loading);
  }
  return state.packs.get(name);
}

/** The packs every check needs (the UK tariff is the usual one), loaded at start. */
const FIRST_PACKS = ['codelists', 'uk', 'uk/restrictions', 'sanctions'];

async function boot() {
  const started = performance.now();
  say('Loading Preclear, the UK tariff and the screening lists…');
  state.manifest = await fetchOk('tariffs/manifest.json').then((response) => response.json());
  // The packs download while the WebAssembly compiles.
  const [preclear] = await Promise.all([
    fetchOk('pkg/preclear_wasm_bg.wasm').then((response) => response.arrayBuffer()).then((bytes) => Preclear.load(bytes)),
    ...FIRST_PACKS.map(fetchPack),
  ]);
  state.preclear = preclear;
  $('version').textContent = `Preclear ${preclear.version()}`;
  const [, uk] = await Promise.all(FIRST_PACKS.map(ensurePack));
  window.preclearTimings.boot = performance.now() - started;
  say(`Ready · UK tariff${uk.risk ? ', risk profile' : ''}, restrictions, sanctions lists and code lists loaded`, 'good');
  status.title = `UK tariff: ${uk.version}`;
}

/** Checks the current input with the current options and shows the report. */
async function run(started = performance.now()) {
  const input = state.input;
  if (!input) return;
  // A newer input or option supersedes this run while it waits for a pack.
  state.generation += 1;
  const generation = state.generation;
  const current = () => generation === state.generation;
  await state.ready;
  if (!current()) return;
  const options = { file: input.name, tariff: $('tariff').value, date: $('date').value || undefined };
  const wanted = options.tariff === 'auto' ? null : options.tariff;
  if (wanted && !state.packs.has(wanted)) {
    say(`Loading the ${wanted.toUpperCase()} tariff…`);
    await ensurePack(wanted);
    if (!current()) return;
  }
  let checkStarted = performance.now();
  let json;
  try {
    json = state.preclear.checkJson(input.bytes, options);
    let report = JSON.parse(json);
    // In auto mode the declaration names its tariff; fetch it the first time it is needed.
    const needed = !wanted && report.document.kind === 'declaration' && !report.tariff ? state.preclear.jurisdiction(input.bytes) : null;
    if (needed && !state.packs.has(needed)) {
      say(`Loading the ${needed.toUpperCase()} tariff…`);
      await ensurePack(needed);
      if (!current()) return;
      checkStarted = performance.now();
      json = state.preclear.checkJson(input.bytes, options);
      report = JSON.parse(json);
    }
    const checked = performance.now();
    show(input, report, json);
    await painted();
    const timing = { file: input.name, bytes: input.bytes.length, check: checked - checkStarted, result: performance.now() - started };
    window.preclearTimings.push(timing);
    $('timing').textContent = `Checked in ${timing.check.toFixed(0)} ms · shown in ${timing.result.toFixed(0)} ms`;
    const { findings } = tally(report);
    say(`${input.name === '-' ? 'Pasted text' : input.name}: ${plural(findings.error, 'error')}, ${plural(findings.warning, 'warning')}`, findings.error ? 'bad' : 'good');
  } catch (error) {
    say(`Could not check ${input.name}: ${error.message}`, 'bad');
    throw error;
  }
}

function show(input, report, json) {
  state.report = report;
  state.json = json;
  const counts = tally(report);
  $('intake').hidden = true;
  $('results').hidden = false;
  $('download').disabled = false;
  renderSummary($('summary'), report, counts, h('span', { id: 'timing' }));
  $('count-findings').textContent = count(report.findings.length);
  $('count-items').textContent = count(report.declaration?.items.length ?? 0);
  $('count-flags').textContent = count(counts.flags.length);
  $('count-parties').textContent = count(report.parties.length);
  state.showFinding = renderFindings($('panel-findings'), report, reveal);
  state.selected = -1;
  renderItems($('panel-items'), report, lookUp);
  renderFlags($('panel-flags'), report);
  renderParties($('panel-parties'), report);
  fill($('panel-json'));
  sourceView.show(input.text, report.findings);
  $('source-file').textContent = `${input.name === '-' ? 'pasted text' : input.name} · ${plural(sourceView.lineCount, 'line')} · ${count(input.bytes.length)} bytes`;
  if ($('tab-json').getAttribute('aria-selected') === 'true') renderJson($('panel-json'), json);
}

/** Shows a finding's element in the source and marks the finding in the list. */
function reveal(finding) {
  for (const current of document.querySelectorAll('.finding[aria-current]')) current.removeAttribute('aria-current');
  state.showFinding?.(finding)?.setAttribute('aria-current', 'true');
  state.selected = state.report.findings.indexOf(finding);
  sourceView.reveal(finding);
  const located = state.report.findings.map((other, index) => (other.line ? index : -1)).filter((index) => index !== -1);
  $('finding-previous').disabled = !located.some((index) => index < state.selected);
  $('finding-next').disabled = !located.some((index) => index > state.selected);
}

/** Moves to the next (1) or previous (-1) finding that has a line. */
function step(direction) {
  const findings = state.report?.findings ?? [];
  for (let index = state.selected + direction; index >= 0 && index < findings.length; index += direction) {
    if (findings[index].line) {
      reveal(findings[index]);
      return;
    }
  }
}

async function lookUp(item) {
  const dialog = $('tariff-dialog');
  const body = $('tariff-dialog-body');
  const tariff = state.report?.tariff?.jurisdiction ?? ($('tariff').value === 'auto' ? 'uk' : $('tariff').value);
  $('tariff-dialog-title').textContent = `Tariff: ${item.commodity_code}`;
  fill(body, h('p', { class: 'muted' }, 'Looking it up…'));
  dialog.showModal();
  try {
    await ensurePack(tariff);
    const options = { tariff, date: state.report?.tariff?.date ?? $('date').value, origin: item.origin ?? undefined };
    renderCommodity(body, state.preclear.tariffShow(item.commodity_code, options));
  } catch (error) {
    fill(body, h('p', { class: 'text-bad' }, error.message));
  }
}

/** Takes a declaration: bytes as read (the check sees exactly the file), or pasted text. */
function take(name, data, started = performance.now(), example = '') {
  $('example').value = example;
  const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  const text = typeof data === 'string' ? data : decoder.decode(bytes);
  state.input = { name, bytes, text };
  return run(started).catch((error) => console.error(error));
}

async function takeFile(file) {
  const started = performance.now();
  take(file.name, await file.arrayBuffer(), started);
}

// Tabs: arrow keys move between them, as in any tab list.
const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus = true) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (tab.id === 'tab-json' && state.json && !$('panel-json').hasChildNodes()) renderJson($('panel-json'), state.json);
  if (focus) tab.focus();
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length]);
  });
}

const sourceView = new SourceView($('source-view'), $('source-note'), $('source-note-body'));
$('finding-previous').addEventListener('click', () => step(-1));
$('finding-next').addEventListener('click', () => step(1));

// Input: open, drop, paste, examples.
$('toolbar').addEventListener('submit', (event) => event.preventDefault());
$('open').addEventListener('click', () => $('file').click());
$('file').addEventListener('change', () => {
  const [file] = $('file').files;
  if (file) takeFile(file);
  $('file').value = '';
});
$('example').addEventListener('change', async () => {
  const path = $('example').value;
  if (!path) return;
  const started = performance.now();
  const response = await fetchOk(path);
  take(path, await response.arrayBuffer(), started, path);
});
$('paste-new').addEventListener('click', () => {
  $('results').hidden = true;
  $('intake').hidden = false;
  $('paste').value = '';
  $('paste').focus();
});
$('paste').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && $('paste').value.trim()) {
    event.preventDefault();
    take('-', $('paste').value);
  }
});
document.addEventListener('paste', (event) => {
  const target = event.target;
  const editable = target instanceof HTMLInputElement || (target instanceof HTMLTextAreaElement && target !== $('paste'));
  const text = event.clipboardData?.getData('text/plain');
  if (editable || !text) return;
  const started = performance.now();
  event.preventDefault();
  const box = $('paste');
  if (target === box) box.setRangeText(text, box.selectionStart, box.selectionEnd, 'end');
  // Pasted text has no file name: like `preclear check -`, the report names it `-`.
  take('-', target === box ? box.value : text, started);
});
document.addEventListener('keydown', (event) => {
  if (event.key.toLowerCase() === 'o' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $('file').click();
  } else if (event.key === 'F8' && state.report && !$('results').hidden) {
    // As in code editors: F8 goes to the next problem, Shift+F8 to the previous one.
    event.preventDefault();
    step(event.shiftKey ? -1 : 1);
  }
});
let dragDepth = 0;
window.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  dragDepth += 1;
  $('drop-overlay').hidden = false;
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) $('drop-overlay').hidden = true;
});
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  const [file] = event.dataTransfer?.files ?? [];
  if (file) takeFile(file);
});

// Options: a change checks the same declaration again.
$('date').value = today();
$('tariff').addEventListener('change', () => run());
$('date').addEventListener('change', () => {
  if ($('date').value) run();
});

$('download').addEventListener('click', () => {
  if (!state.json) return;
  // The same bytes as `preclear check --format json` prints: one JSON line and a newline.
  const blob = new Blob([`${state.json}\n`], { type: 'application/json' });
  const base = (state.input.name === '-' ? 'pasted' : state.input.name.split('/').pop()).replace(/\.xml$/i, '');
  const link = h('a', { href: URL.createObjectURL(blob), download: `${base}.preclear.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
});

// Examples from the site's own folder.
fetchOk('examples/index.json').then((response) => response.json()).then((examples) => {
  $('example').append(...examples.map((example) => h('option', { value: example.path, title: example.title }, example.title)));
}).catch(() => {});

// Offline: a service worker keeps the page, the WebAssembly and the packs once fetched.
if ('serviceWorker' in navigator) {
  const policy = window.trustedTypes?.createPolicy('preclear', {
    createScriptURL: (url) => {
      if (url === './sw.js') return url;
      throw new TypeError(`unexpected script URL ${url}`);
    },
  });
  navigator.serviceWorker.register(policy ? policy.createScriptURL('./sw.js') : './sw.js', { scope: './' }).catch(() => {});
}

/** A bundled UK declaration, checked after start by {@link warmUp}. */
const WARM_UP_EXAMPLE = 'examples/valid/import-multi-item-5.xml';
/** How many times {@link warmUp} checks it: enough for the browser to optimise the check. */
const WARM_UP_RUNS = 100;
/** The longest {@link warmUp} holds the main thread at a time, in ms. */
const WARM_UP_SLICE_MS = 12;

/**
 * Gets the browser's optimised code for the check ready before the broker's first file.
 *
 * Browsers start WebAssembly from a quick baseline compilation, and recompile a function,
 * optimised and in the background, once it has run enough. Until then a check takes three to
 * five times as long, and the recompilation competes with it for the processor. Checking a
 * bundled example after start, in short slices that leave the page responsive, has that done
 * while the broker picks a file rather than during their first checks. The results are
 * discarded.
 */
async function warmUp() {
  const bytes = new Uint8Array(await (await fetchOk(WARM_UP_EXAMPLE)).arrayBuffer());
  const options = { file: WARM_UP_EXAMPLE, tariff: 'uk', date: $('date').value || undefined };
  const started = performance.now();
  let runs = 0;
  while (runs < WARM_UP_RUNS) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const slice = performance.now();
    do {
      state.preclear.checkJson(bytes, options);
      runs += 1;
    } while (runs < WARM_UP_RUNS && performance.now() - slice < WARM_UP_SLICE_MS);
  }
  window.preclearTimings.warmUp = { runs, ms: performance.now() - started };
}

state.ready = boot();
state.ready.catch((error) => say(`Preclear could not start: ${error.message}`, 'bad'));
state.ready.then(warmUp).catch(() => {});
window.preclearReady = state.ready;
