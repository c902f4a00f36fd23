//! The TypeScript shapes of what the bindings take and return, written into the generated
//! `.d.ts`. They mirror the report's JSON (`core/src/report`); the Node test fails when a
//! report holds a field they do not name.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `check`, `checkJson` and `tariffShow`. */
export interface CheckOptions {
  /** The name the report carries as `file` (default `-`). */
  file?: string;
  /** `auto` (default: the declaration's ResponsibleCountryCode), `uk`, `us` or `eu`. */
  tariff?: "auto" | "uk" | "us" | "eu";
  /** YYYY-MM-DD: the date to apply the tariff at when the declaration gives none. */
  date?: string;
  /** `tariffShow` only: keep the measures that apply to goods from this country. */
  origin?: string;
}

/** A pack handed to `loadTariff` or `loadCodeLists`. */
export interface PackInfo {
  jurisdiction: string;
  version: string;
  /** Problems found while loading (bad records are skipped). */
  findings: number;
}

/** An exact decimal, as a string. */
export type Decimal = string;
export interface Money { amount: Decimal; currency: string | null; }
export interface Quantity { quantity: Decimal; unit: string | null; }

export interface Finding {
  /** Stable code: PC-READ-…, PC-VAL-…, PC-DUTY-…, PC-PR-…, PC-RISK-…, PC-TARIFF-…. */
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  /** XPath-like path of the element, e.g. /MetaData/Declaration/GoodsShipment/… */
  path: string | null;
  /** 1-based line of the element's start tag. */
  line: number | null;
  /** 1-based column, in characters. */
  column: number | null;
  dms_code: string | null;
  help: string | null;
  provenance?: { source: string; id: string; legal_basis?: string };
  detail?: unknown;
}

/** A tax line the duty stage computed for an item, in the assessment's currency. */
export interface TaxLine {
  /** Tax type: A00 customs duty, A30/A35 anti-dumping, B00 VAT, 3xx/4xx excise, … */
  type: string;
  /** The value an ad valorem rate applies to. */
  base: Money | null;
  /** The quantity a specific rate applies to. */
  base_quantity: Quantity | null;
  /** The rate applied, as printed, e.g. `2.00%` or `139.00 GBP / 100 kg`. */
  rate: string;
  /** The amount, rounded by the assessment's rounding policy. */
  amount: Money;
  /** The computation in words, e.g. `2.00% × 4820.00 GBP`. */
  formula: string;
  /** The measure applied, e.g. `103 Third country duty, defined on 8516108000`. */
  measure: string;
  legal_basis: string;
}

/** A total by tax type: the sum of the items' rounded lines. */
export interface Total {
  type: string;
  amount: Money;
}

/** How the duties were assessed (present when the duty stage ran). */
export interface Assessment {
  /** The currency of every computed amount, e.g. `GBP`. */
  currency: string;
  /** The rounding policy, in words. */
  rounding: string;
  /** The valuation basis of the customs value, in words (e.g. CIF and its legal basis). */
  valuation: string;
}

/** The selectivity lane the risk stage predicts. */
export interface Lane {
  /** Red: physical examination, yellow: documentary check, blue: post-clearance audit, green: release. */
  lane: "red" | "yellow" | "blue" | "green";
  score: Decimal;
  /** Why: the threshold reached, each rule hit with its points, the model's terms. */
  reasons: string[];
}

export interface Flag {
  rule: string;
  category: string;
  status: "prohibited" | "needs_document" | "satisfied" | "warning";
  documents: string[];
  legal_basis: string;
  message: string;
}

export interface ItemReport {
  sequence: number | null;
  commodity_code: string | null;
  additional_codes: string[];
  description: string | null;
  origin: string | null;
  origin_type: string | null;
  preferential_origin: string | null;
  procedure: string | null;
  additional_procedures: string[];
  preference: string | null;
  item_price: Money | null;
  /** Declared, or computed by the duty stage in the assessment's currency. */
  customs_value: Money | null;
  /** How the duty stage built the customs value, e.g. `price 2640.00 EUR (at 1.2106 EUR per GBP)`. */
  valuation: string | null;
  statistical_value: Money | null;
  gross_mass: Decimal | null;
  net_mass: Decimal | null;
  supplementary_units: Quantity | null;
  tax_lines: TaxLine[];
  flags: Flag[];
}

export interface Report {
  report_version: number;
  file: string;
  document: { kind: "declaration" | "notification" | "other" | "unreadable"; description: string };
  tariff: { jurisdiction: string; version: string; date: string | null } | null;
  declaration: {
    type: string | null;
    function_code: string | null;
    lrn: string | null;
    mrn: string | null;
    goods_item_quantity: Decimal | null;
    invoice_amount: Money | null;
    items: ItemReport[];
  } | null;
  totals: Total[];
  assessment: Assessment | null;
  parties: {
    role: string;
    id: string | null;
    name: string | null;
    country: string | null;
    /** Sanctions-list matches, e.g. { list, entry, score }. */
    matches: Record<string, unknown>[];
  }[];
  lane: Lane | null;
  findings: Finding[];
}

/** What `tariffShow` returns: `preclear tariff show --format json`. */
export interface Commodity {
  jurisdiction: string;
  code: string;
  printed_code: string;
  suffix: string;
  description: string;
  declarable: boolean;
  valid_from: string | null;
  valid_to: string | null;
  date: string;
  origin: string | null;
  path: { code: string; suffix: string; description: string }[];
  units: string[];
  chapter_99: string[];
  measures: {
    id: string;
    type: string;
    type_description: string;
    origin: string;
    origin_description: string | null;
    excluded: string[];
    expression: string | null;
    expression_error?: string;
    expression_source: string;
    additional_code: string | null;
    additional_code_description?: string;
    order_number: string | null;
    conditions: {
      code: string;
      condition: string;
      document: string | null;
      requirement: string | null;
      action: string;
      duty_expression: string | null;
    }[];
    footnotes: string[];
    legal_basis: string | null;
    start: string | null;
    end: string | null;
    defined_on: string;
    remarks: string[];
    source: string;
  }[];
}
"#;
