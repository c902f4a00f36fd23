// Preclear for JavaScript: the page and the Node tests use this module, next to the
// wasm-bindgen output (`preclear_wasm.js`, `preclear_wasm_bg.wasm`) that `site/build.sh` writes.
//
//   const preclear = await Preclear.load(wasmBytesOrModule);
//   preclear.loadCodeLists({ 'pack.toml': text, 'countries.tsv': text, ... });
//   preclear.loadTariff({ 'pack.toml': text, ... });
//   preclear.loadRisk('uk', criteriaText, modelText); // the lane of UK declarations
//   preclear.loadRestrictions({ 'pack.toml': text, ... }); // UK prohibitions and restrictions
//   preclear.loadSanctions({ 'pack.toml': text, ... }); // party screening
//   const report = preclear.check(bytesOrText, { tariff: 'auto', date: '2025-01-01' });
//
// Every call is synchronous. A panic in the core (a bug: the core is built never to panic on
// input) reaches the caller as an `Error` whose message starts with PANIC_PREFIX, never as a
// trap; the instance that panicked is then replaced by a fresh one holding the same packs and
// risk profiles, so the next call works.

/** The start of the message of an error that was a panic or a trap. */
export const PANIC_PREFIX = 'Preclear failed internally';

const encoder = new TextEncoder();

/** The bytes of an input: text is encoded as UTF-8, bytes pass as they are. */
function bytesOf(input) {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError('a declaration is a string, a Uint8Array or an ArrayBuffer');
}

/** A fresh copy of the wasm-bindgen glue: its module keeps the instance in module state. */
let copies = 0;
async function importGlue() {
  copies += 1;
  return import(new URL(`./preclear_wasm.js?copy=${copies}`, import.meta.url).href);
}

/** `[names, texts]` of a `{ file name: text }` object, as the bindings take a pack. */
function namesAndTexts(files) {
  const names = Object.keys(files);
  return [names, names.map((name) => files[name])];
}

export class Preclear {
  #module;
  #glue;
  #spare;
  #starting;
  /** The loads made so far, replayed into a fresh instance after a panic. */
  #loads = [];

  constructor(module, glue, spare) {
    this.#module = module;
    this.#glue = glue;
    this.#spare = spare;
  }

  /** Compiles and starts Preclear from the `.wasm` bytes or an already compiled module. */
  static async load(wasm) {
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
    const [glue, spare] = await Promise.all([importGlue(), importGlue()]);
    glue.initSync({ module });
    return new Preclear(module, glue, spare);
  }

  /** Resolves when calls can be made again after a panic (at once, almost always). */
  ready() {
    return this.#starting ?? Promise.resolve();
  }

  /** The version of Preclear. */
  version() {
    return this.#call((glue) => glue.version());
  }

  /** Loads a tariff pack: `{ 'pack.toml': text, 'ukgt.tsv': text, ... }`. */
  loadTariff(files) {
    const [names, texts] = namesAndTexts(files);
    return this.#load((glue) => glue.loadTariff(names, texts));
  }

  /** Loads the code-list pack. */
  loadCodeLists(files) {
    const [names, texts] = namesAndTexts(files);
    return this.#load((glue) => glue.loadCodeLists(names, texts));
  }

  /** Loads the UK restriction rules: pack.toml, its tables and its `*.rules` files. */
  loadRestrictions(files) {
    const [names, texts] = namesAndTexts(files);
    return this.#load((glue) => glue.loadRestrictions(names, texts));
  }

  /** Loads the sanctions lists the parties of every declaration are screened against. */
  loadSanctions(files) {
    const [names, texts] = namesAndTexts(files);
    return this.#load((glue) => glue.loadSanctions(names, texts));
  }

  /**
   * Loads a jurisdiction's risk profile (`uk`, `us`, `eu`): the text of its `criteria.toml`
   * and, optionally, of its `model.tsv`. Declarations assessed with that jurisdiction's
   * tariff then get a lane, as `preclear check` gives them with its bundled profile.
   */
  loadRisk(jurisdiction, criteria, model) {
    return this.#load((glue) => glue.loadRisk(jurisdiction, criteria, model ?? undefined));
  }

  /** `uk`, `us` or `eu`: the tariff an `auto` check uses; undefined for a non-declaration. */
  jurisdiction(input) {
    const bytes = bytesOf(input);
    return this.#call((glue) => glue.jurisdiction(bytes));
  }

  /** The report, as a plain object of the shape `preclear check --format json` prints. */
  check(input, options = {}) {
    const bytes = bytesOf(input);
    return this.#call((glue) => glue.check(bytes, options));
  }

  /** The report as the one JSON line `preclear check --format json` prints (no newline). */
  checkJson(input, options = {}) {
    const bytes = bytesOf(input);
    return this.#call((glue) => glue.checkJson(bytes, options));
  }

  /** A commodity line, its description path and its measures (`options.date` is required). */
  tariffShow(code, options = {}) {
    return this.#call((glue) => glue.tariffShow(code, options));
  }

  /** Panics inside the core; the tests use it to prove that panics come back as errors. */
  panicForTests() {
    return this.#call((glue) => glue.panicForTests());
  }

  #load(load) {
    const info = this.#call(load);
    this.#loads.push(load);
    return info;
  }

  #call(run) {
    if (!this.#glue) throw new Error(`${PANIC_PREFIX}; restarting, try again in a moment`);
    try {
      return run(this.#glue);
    } catch (error) {
      const trapped = error instanceof WebAssembly.RuntimeError;
      if (!trapped && !String(error?.message).startsWith(PANIC_PREFIX)) throw error;
      this.#restart();
      throw new Error(trapped ? `${PANIC_PREFIX}: ${error.message}` : error.message, {
        cause: error,
      });
    }
  }

  /** Replaces the instance that panicked by a fresh one with the same packs. */
  #restart() {
    const spare = this.#spare;
    this.#glue = undefined;
    this.#spare = undefined;
    if (spare) this.#start(spare);
    this.#starting = importGlue().then((glue) => {
      if (this.#glue) this.#spare = glue;
      else this.#start(glue);
    });
  }

  #start(glue) {
    glue.initSync({ module: this.#module });
    for (const load of this.#loads) load(glue);
    this.#glue = glue;
  }
}
