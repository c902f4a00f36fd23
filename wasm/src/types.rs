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

export interface TaxLine {
  type: string;
  base: Money | null;
  base_quantity: Quantity | null;
  rate: string;
  amount: Money;
  formula: string;
  measure: string;
  legal_basis: string;
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
  customs_value: Money | null;
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
  totals: { type: string; amount: Money }[];
  parties: {
    role: string;
    id: string | null;
    name: string | null;
    country: string | null;
    /** Sanctions-list matches, e.g. { list, entry, score }. */
    matches: Record<string, unknown>[];
  }[];
  lane: { lane: "red" | "yellow" | "blue" | "green"; score: Decimal; reasons: string[] } | null;
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
