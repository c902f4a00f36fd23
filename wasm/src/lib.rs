//! WebAssembly bindings for Preclear. They only convert types: the core does the work.
//!
//! The page fetches the tariff packs from its own origin and hands them over with
//! [`load_tariff`], [`load_codelists`], [`load_restrictions`], [`load_sanctions`] and
//! [`load_risk`] (a jurisdiction's risk profile, which gives the lane); [`check`] then returns the report as a plain JS
//! object of exactly the shape `preclear check --format json` prints ([`check_json`] returns
//! those bytes), and [`tariff_show`] what `preclear tariff show --format json` prints.
//! `wasm/js/preclear.js` wraps these exports for the page and for Node.

mod types;

use preclear::decl::{self, Document};
use preclear::tariff::{CodeLists, Jurisdiction, LookupError, PackFile, Tariff, TariffError};
use preclear::{CheckOptions, Checker, Date, Tariffs, risk, screen};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::{JsError, JsValue, wasm_bindgen};

/// Marks the message of an error that was a panic: the JS wrapper then starts a fresh
/// instance, since the panicked one may hold half-updated state.
const PANIC_PREFIX: &str = "Preclear failed internally (a bug; please report it): ";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The packs loaded so far: the page loads each once and checks many declarations.
    static TARIFFS: Tariffs = Tariffs::provided();
}

/// Turns a panic into a thrown JS `Error` instead of a trap (`unreachable`). Runs when the
/// module is instantiated.
#[wasm_bindgen(start, js_name = installPanicHook)]
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::throw_str(&format!("{PANIC_PREFIX}{info}"))
    }));
}

/// Options of [`check`], from a JS object.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Options {
    /// The name the report carries (`file`).
    file: Option<String>,
    /// `auto` (the declaration's `ResponsibleCountryCode`), `uk`, `us` or `eu`.
    tariff: Option<String>,
    /// The date to apply the tariff at when the declaration gives none.
    date: Option<Date>,
    /// `tariffShow` only: keep the measures for goods from this country.
    origin: Option<String>,
}

impl Options {
    fn from_js(value: &JsValue) -> Result<Options, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(Options::default());
        }
        let text = json_stringify(value).ok().and_then(|text| text.as_string()).unwrap_or_default();
        serde_json::from_str(&text).map_err(|error| JsError::new(&format!("options: {error}")))
    }

    fn jurisdiction(&self) -> Result<Option<Jurisdiction>, JsError> {
        match self.tariff.as_deref() {
            None | Some("auto") => Ok(None),
            Some(name) => name.parse().map(Some).map_err(|error: String| JsError::new(&error)),
        }
    }
}

/// A loaded pack, as [`load_tariff`] describes it.
#[derive(Serialize)]
struct PackInfo {
    jurisdiction: String,
    version: String,
    findings: usize,
}

fn parse_json(text: &str) -> Result<JsValue, JsError> {
    json_parse(text).map_err(|_| JsError::new("the result is not valid JSON"))
}

fn to_object(value: &impl Serialize) -> Result<JsValue, JsError> {
    parse_json(&serde_json::to_string(value).map_err(|error| JsError::new(&error.to_string()))?)
}

fn pack_files(names: Vec<String>, texts: Vec<String>) -> Result<Vec<PackFile>, JsError> {
    if names.len() != texts.len() {
        return Err(JsError::new("a pack needs as many texts as file names"));
    }
    Ok(names.into_iter().zip(texts).map(|(name, text)| PackFile::owned(&name, text)).collect())
}

fn pack_error(error: &TariffError) -> JsError {
    JsError::new(&format!("cannot load the pack: {error}"))
}

/// The version of Preclear.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Loads a tariff pack (`pack.toml` and the files it lists) for the jurisdiction it names.
#[wasm_bindgen(js_name = loadTariff, unchecked_return_type = "PackInfo")]
pub fn load_tariff(names: Vec<String>, texts: Vec<String>) -> Result<JsValue, JsError> {
    let tariff =
        Tariff::from_files(pack_files(names, texts)?).map_err(|error| pack_error(&error))?;
    let info = PackInfo {
        jurisdiction: tariff.jurisdiction().as_str().to_owned(),
        version: tariff.version(),
        findings: tariff.findings().len(),
    };
    if !TARIFFS.with(|tariffs| tariffs.provide(tariff)) {
        return Err(JsError::new(&format!("the {} pack is already loaded", info.jurisdiction)));
    }
    to_object(&info)
}

/// Loads the code-list pack.
#[wasm_bindgen(js_name = loadCodeLists, unchecked_return_type = "PackInfo")]
pub fn load_codelists(names: Vec<String>, texts: Vec<String>) -> Result<JsValue, JsError> {
    let codelists =
        CodeLists::from_files(pack_files(names, texts)?).map_err(|error| pack_error(&error))?;
    let findings = codelists.findings().len();
    if !TARIFFS.with(|tariffs| tariffs.provide_codelists(codelists)) {
        return Err(JsError::new("the code lists are already loaded"));
    }
    to_object(&PackInfo { jurisdiction: "codelists".to_owned(), version: String::new(), findings })
}

/// Loads the UK restriction rules (`tariffs/uk/restrictions/`: `pack.toml`, the tables it lists
/// and the `*.rules` files in name order): UK declarations then get their prohibition and
/// restriction flags.
#[wasm_bindgen(js_name = loadRestrictions, unchecked_return_type = "PackInfo")]
pub fn load_restrictions(names: Vec<String>, texts: Vec<String>) -> Result<JsValue, JsError> {
    let rules = screen::RulePack::from_files(pack_files(names, texts)?)
        .map_err(|error| pack_error(&error))?;
    let findings = rules.findings().len();
    if !TARIFFS.with(|tariffs| tariffs.screening().provide_rules(rules)) {
        return Err(JsError::new("the restriction rules are already loaded"));
    }
    to_object(&PackInfo {
        jurisdiction: "uk-restrictions".to_owned(),
        version: String::new(),
        findings,
    })
}

/// Loads the sanctions lists (`tariffs/sanctions/`): every declaration's parties are then
/// screened against them.
#[wasm_bindgen(js_name = loadSanctions, unchecked_return_type = "PackInfo")]
pub fn load_sanctions(names: Vec<String>, texts: Vec<String>) -> Result<JsValue, JsError> {
    let lists = screen::SanctionsLists::from_files(pack_files(names, texts)?)
        .map_err(|error| pack_error(&error))?;
    let findings = lists.findings().len();
    if !TARIFFS.with(|tariffs| tariffs.screening().provide_sanctions(lists)) {
        return Err(JsError::new("the sanctions lists are already loaded"));
    }
    to_object(&PackInfo { jurisdiction: "sanctions".to_owned(), version: String::new(), findings })
}

/// Loads a jurisdiction's risk profile (`uk`, `us`, `eu`): the text of its criteria file and,
/// optionally, of its model file. Declarations assessed with that jurisdiction's tariff then
/// get a lane.
#[wasm_bindgen(js_name = loadRisk)]
#[allow(clippy::needless_pass_by_value)] // An optional JS string arrives owned.
pub fn load_risk(
    #[wasm_bindgen(unchecked_param_type = "\"uk\" | \"us\" | \"eu\"")] jurisdiction: &str,
    criteria: &str,
    model: Option<String>,
) -> Result<(), JsError> {
    let jurisdiction: Jurisdiction =
        jurisdiction.parse().map_err(|error: String| JsError::new(&error))?;
    let profile = risk::Profile::parse(criteria, model.as_deref())
        .map_err(|error| JsError::new(&format!("cannot load the risk profile: {error}")))?;
    if !TARIFFS.with(|tariffs| tariffs.provide_risk(jurisdiction, profile)) {
        return Err(JsError::new(&format!("the {jurisdiction} risk profile is already loaded")));
    }
    Ok(())
}

/// The jurisdiction whose tariff a declaration is checked against in `auto` mode (`uk`, `us`,
/// `eu`); `undefined` when the input is not a declaration.
#[wasm_bindgen(unchecked_return_type = "\"uk\" | \"us\" | \"eu\" | undefined")]
#[must_use]
pub fn jurisdiction(input: &[u8]) -> Option<String> {
    match decl::read(input).document {
        Some(Document::Declaration(document)) => {
            Some(preclear::check::jurisdiction_of(&document).as_str().to_owned())
        }
        _ => None,
    }
}

/// Checks a declaration and returns its report as one line of JSON, the bytes
/// `preclear check --format json` prints for it (without the newline).
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(
    input: &[u8],
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: &JsValue,
) -> Result<String, JsError> {
    let options = Options::from_js(options)?;
    let check_options = CheckOptions {
        date: options.date,
        jurisdiction: options.jurisdiction()?,
        ..CheckOptions::default()
    };
    let file = options.file.as_deref().unwrap_or("-");
    let report = TARIFFS.with(|tariffs| Checker::new(tariffs, check_options).check(file, input));
    report.to_json_line().map_err(|error| JsError::new(&error.to_string()))
}

/// Checks a declaration and returns its report.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    input: &[u8],
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: &JsValue,
) -> Result<JsValue, JsError> {
    parse_json(&check_json(input, options)?)
}

/// Looks a commodity code up: its line, description path and the measures on the date.
#[wasm_bindgen(js_name = tariffShow, unchecked_return_type = "Commodity")]
pub fn tariff_show(
    code: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: &JsValue,
) -> Result<JsValue, JsError> {
    let options = Options::from_js(options)?;
    let jurisdiction = options.jurisdiction()?.unwrap_or(Jurisdiction::Uk);
    let date = options.date.ok_or_else(|| JsError::new("tariffShow needs a date"))?;
    TARIFFS.with(|tariffs| match tariffs.select(jurisdiction) {
        Some(Ok(tariff)) => tariff
            .commodity_from(code, date, options.origin.as_deref())
            .map_err(|error| match error {
                LookupError::BadCode(_) => JsError::new(&format!("`{code}`: {error}")),
                _ => JsError::new(&format!("{error} ({jurisdiction} tariff)")),
            })
            .and_then(|commodity| to_object(&commodity)),
        Some(Err(finding)) => Err(JsError::new(&finding.message)),
        None => Err(JsError::new(&format!("the {jurisdiction} tariff is not loaded"))),
    })
}

/// Panics, so that the tests can prove a panic reaches JS as an error and not as a trap.
///
/// # Panics
///
/// Always.
#[wasm_bindgen(js_name = panicForTests)]
#[allow(clippy::panic)] // The one deliberate panic, for the test of the panic hook.
pub fn panic_for_tests() {
    panic!("deliberate panic for the tests");
}
