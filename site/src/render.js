// Renders a report: the summary first, then one panel per section. Each section shows what
// the report holds and says plainly when it holds nothing: tax lines, totals and how they
// were assessed, flags, screening matches and the lane appear whenever the core reports them.

import { h, fill, count, plural, decimal, money, quantity, sumMoney, paginated } from './util.js';

const TAX_TYPES = {
  A00: 'Customs duty',
  A20: 'Additional duty',
  A30: 'Definitive anti-dumping duty',
  A35: 'Provisional anti-dumping duty',
  A40: 'Definitive countervailing duty',
  A45: 'Provisional countervailing duty',
  A50: 'Safeguard duty',
  B00: 'VAT',
};

const FLAG_STATUS = {
  prohibited: 'Prohibited',
  needs_document: 'Needs a document',
  satisfied: 'Satisfied',
  warning: 'Warning',
};

export function taxName(type) {
  if (TAX_TYPES[type]) return TAX_TYPES[type];
  if (/^[3-4]\d\d$/.test(type)) return 'Excise';
  return 'Tax';
}

/** Counts a report's findings by severity and its flags by status. */
export function tally(report) {
  const findings = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) findings[finding.severity] = (findings[finding.severity] ?? 0) + 1;
  const flags = [];
  for (const item of report.declaration?.items ?? []) {
    for (const flag of item.flags ?? []) flags.push({ item, flag });
  }
  const restricted = flags.filter(({ flag }) => flag.status === 'prohibited' || flag.status === 'needs_document');
  const prohibited = flags.filter(({ flag }) => flag.status === 'prohibited');
  const taxLines = (report.declaration?.items ?? []).reduce((total, item) => total + (item.tax_lines?.length ?? 0), 0);
  const matches = report.parties.filter((party) => party.matches?.length);
  return { findings, flags, restricted, prohibited, taxLines, matches };
}

/** The verdict: can this declaration be lodged? */
function verdict(report, counts) {
  const { findings, restricted, prohibited, matches } = counts;
  if (report.document.kind === 'unreadable') {
    return { tone: 'bad', title: 'Cannot be read', detail: report.document.description };
  }
  if (report.document.kind !== 'declaration') {
    return { tone: 'bad', title: 'Not a declaration', detail: report.document.description };
  }
  if (findings.error) {
    return { tone: 'bad', title: 'Will be rejected', detail: `${plural(findings.error, 'error')} to fix before lodging` };
  }
  if (prohibited.length) {
    return { tone: 'bad', title: 'Prohibited goods', detail: `${plural(prohibited.length, 'item')} cannot be imported as declared` };
  }
  if (restricted.length || matches.length) {
    const parts = [];
    if (restricted.length) parts.push(`${plural(restricted.length, 'restriction')} to satisfy`);
    if (matches.length) parts.push(`${plural(matches.length, 'party', 'parties')} to review`);
    return { tone: 'warn', title: 'Check before lodging', detail: parts.join(', ') };
  }
  if (findings.warning) {
    return { tone: 'warn', title: 'Can be lodged', detail: `review ${plural(findings.warning, 'warning')} first` };
  }
  return { tone: 'good', title: 'Ready to lodge', detail: 'no errors, no warnings' };
}

function card(title, ...body) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...body);
}

export function renderSummary(element, report, counts, timing) {
  const { findings, flags, restricted, prohibited, taxLines, matches } = counts;
  const result = verdict(report, counts);
  const declaration = report.declaration;
  const lane = report.lane;
  const totals = report.totals ?? [];
  fill(element,
    h('section', { class: `card verdict tone-${result.tone}`, 'data-testid': 'verdict' },
      h('h2', {}, 'Verdict'),
      h('p', { class: 'verdict-title' }, result.title),
      h('p', { class: 'verdict-detail' }, result.detail),
      h('p', { class: 'chips' },
        h('span', { class: `chip sev-error${findings.error ? '' : ' zero'}`, 'data-testid': 'count-errors' }, plural(findings.error, 'error')),
        h('span', { class: `chip sev-warning${findings.warning ? '' : ' zero'}` }, plural(findings.warning, 'warning')),
        h('span', { class: `chip sev-info${findings.info ? '' : ' zero'}` }, `${count(findings.info)} info`))),
    card('Restrictions',
      flags.length === 0
        ? h('p', { class: 'big muted' }, 'None flagged')
        : h('p', { class: `big ${prohibited.length ? 'text-bad' : restricted.length ? 'text-warn' : 'text-good'}` },
          prohibited.length ? `${count(prohibited.length)} prohibited` : restricted.length ? `${count(restricted.length)} need documents` : 'All satisfied'),
      h('p', { class: 'muted' }, flags.length ? plural(flags.length, 'flag') : 'No prohibition, restriction or sanction flags'),
      matches.length ? h('p', { class: 'text-warn' }, `${plural(matches.length, 'party', 'parties')} matched a sanctions list`) : null),
    card('Risk lane',
      lane
        ? h('p', { class: `big lane lane-${lane.lane}`, 'data-testid': 'lane' }, lane.lane)
        : h('p', { class: 'big muted' }, 'Not assessed'),
      lane ? h('p', { class: 'muted' }, `score ${decimal(lane.score)}${lane.reasons.length ? ` · ${lane.reasons[0]}` : ''}`) : null,
      lane?.reasons.length > 1
        ? h('details', { class: 'reasons' },
          h('summary', {}, plural(lane.reasons.length - 1, 'more reason')),
          h('ul', {}, lane.reasons.slice(1).map((reason) => h('li', {}, reason))))
        : null),
    card('Duty and taxes',
      totals.length
        ? h('dl', { class: 'totals', 'data-testid': 'totals' },
          totals.map((total) => [h('dt', {}, `${taxName(total.type)} (${total.type})`), h('dd', {}, money(total.amount))]))
        : h('p', { class: 'big muted' }, taxLines ? 'See the items' : 'Not computed'),
      h('p', { class: 'muted' }, report.tariff
        ? `${report.tariff.jurisdiction.toUpperCase()} tariff${report.tariff.date ? ` on ${report.tariff.date}` : ''}`
        : 'No tariff applied'),
      report.assessment
        ? h('p', { class: 'muted small', 'data-testid': 'assessment-summary' }, `In ${report.assessment.currency}; ${report.assessment.rounding}`)
        : null),
    card('Declaration',
      declaration
        ? h('dl', { class: 'facts' },
          h('dt', {}, 'Type'), h('dd', {}, [declaration.type, declaration.function_code ? `function ${declaration.function_code}` : null].filter(Boolean).join(' · ') || '—'),
          h('dt', {}, 'LRN'), h('dd', {}, declaration.lrn ?? '—'),
          declaration.mrn ? [h('dt', {}, 'MRN'), h('dd', {}, declaration.mrn)] : null,
          h('dt', {}, 'Items'), h('dd', {}, count(declaration.items.length)),
          declaration.invoice_amount ? [h('dt', {}, 'Invoiced'), h('dd', {}, money(declaration.invoice_amount))] : null)
        : h('p', { class: 'muted' }, report.document.description),
      h('p', { class: 'muted small' }, timing)));
}

/**
 * The findings list, filterable by severity, paginated; `onReveal(finding)` shows its line.
 * Returns `show(finding)`: turns to the finding's page and returns its list item.
 */
export function renderFindings(panel, report, onReveal) {
  const shown = new Set(['error', 'warning', 'info']);
  const list = h('div', { class: 'findings-list' });
  const severities = ['error', 'warning', 'info'];
  const index = new Map(report.findings.map((finding, position) => [finding, position]));
  const counts = Object.fromEntries(severities.map((severity) => [severity, report.findings.filter((finding) => finding.severity === severity).length]));
  let rows = [];
  let pages = null;
  const redraw = () => {
    rows = report.findings.filter((finding) => shown.has(finding.severity));
    pages = rows.length
      ? paginated(rows, 100, (slice) => h('ol', { class: 'findings' }, slice.map((finding) => findingItem(finding, index.get(finding), onReveal))), 'Findings')
      : null;
    fill(list, pages ?? h('p', { class: 'empty' }, report.findings.length ? 'No finding of the severities chosen.' : 'No findings: the declaration reads cleanly.'));
  };
  const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'Show findings of severity' },
    severities.map((severity) => h('button', {
      type: 'button',
      class: `toggle sev-${severity}`,
      'aria-pressed': 'true',
      on: {
        click: (event) => {
          const pressed = event.currentTarget.getAttribute('aria-pressed') === 'true';
          event.currentTarget.setAttribute('aria-pressed', String(!pressed));
          if (pressed) shown.delete(severity);
          else shown.add(severity);
          redraw();
        },
      },
    }, `${severity === 'info' ? 'Info' : `${severity[0].toUpperCase()}${severity.slice(1)}s`} ${count(counts[severity])}`)));
  fill(panel, filters, list);
  redraw();
  return (finding) => {
    const row = rows.indexOf(finding);
    if (row === -1 || !pages) return null;
    pages.showRow(row);
    return list.querySelector(`[data-index="${index.get(finding)}"]`);
  };
}

function findingItem(finding, position, onReveal) {
  const located = Boolean(finding.line);
  return h('li', { class: `finding sev-${finding.severity}`, 'data-index': position },
    h('div', { class: 'finding-head' },
      h('span', { class: `badge sev-${finding.severity}` }, finding.severity),
      h('code', { class: 'finding-code' }, finding.code),
      finding.dms_code ? h('span', { class: 'dms', title: 'The CDS error code the authority would return' }, finding.dms_code) : null,
      located
        ? h('a', {
          href: `#L${finding.line}`,
          class: 'line-link',
          'data-line': finding.line,
          on: { click: (event) => { event.preventDefault(); onReveal(finding); } },
        }, `Line ${finding.line}:${finding.column}`)
        : h('span', { class: 'muted small' }, 'no location')),
    h('p', { class: 'finding-message' }, finding.message),
    finding.path ? h('p', { class: 'path', title: finding.path }, h('bdi', {}, finding.path)) : null,
    finding.help ? h('p', { class: 'help' }, h('span', { class: 'help-label' }, 'Help: '), finding.help) : null,
    finding.provenance ? h('p', { class: 'muted small' }, `Rule ${finding.provenance.id} (${finding.provenance.source})${finding.provenance.legal_basis ? ` · ${finding.provenance.legal_basis}` : ''}`) : null,
    finding.detail !== undefined ? h('details', { class: 'detail' }, h('summary', {}, 'Detail'), h('pre', {}, JSON.stringify(finding.detail, null, 2))) : null);
}

/** The goods items with their tax lines (the duty table), paginated; codes open the tariff. */
export function renderItems(panel, report, onCode) {
  const items = report.declaration?.items ?? [];
  if (!items.length) {
    fill(panel, h('p', { class: 'empty' }, report.declaration ? 'The declaration has no goods items.' : 'No declaration was read.'));
    return;
  }
  const anyTax = items.some((item) => item.tax_lines?.length);
  const head = h('thead', {}, h('tr', {},
    ['Item', 'Commodity code', 'Description', 'Origin', 'Procedure', 'Value', 'Mass (kg)', 'Duty and taxes', 'Flags'].map((title) => h('th', { scope: 'col' }, title))));
  const table = (slice) => h('table', { class: 'grid items' }, head.cloneNode(true),
    slice.map((item) => itemRows(item, onCode)),
    report.totals?.length ? h('tfoot', {}, report.totals.map((total) => h('tr', { class: 'total-row' },
      h('th', { scope: 'row', colspan: 7 }, `Total ${taxName(total.type)} (${total.type})`),
      h('td', { class: 'num', colspan: 2 }, money(total.amount))))) : null);
  fill(panel,
    assessmentFacts(report.assessment),
    anyTax ? null : h('p', { class: 'notice' }, 'No duty or tax lines were computed for this declaration.'),
    paginated(items, 50, table, 'Items'));
}

/** How the duties were assessed: currency, rounding policy and valuation basis. */
function assessmentFacts(assessment) {
  if (!assessment) return null;
  return h('dl', { class: 'facts assessment', 'data-testid': 'assessment' },
    h('dt', {}, 'Currency'), h('dd', {}, assessment.currency),
    h('dt', {}, 'Rounding'), h('dd', {}, assessment.rounding),
    h('dt', {}, 'Valuation'), h('dd', {}, assessment.valuation));
}

function itemRows(item, onCode) {
  const taxLines = item.tax_lines ?? [];
  const flags = item.flags ?? [];
  const taxTotal = sumMoney(taxLines.map((line) => line.amount));
  const value = item.customs_value ?? item.item_price;
  const body = h('tbody', { class: 'item' },
    h('tr', {},
      h('th', { scope: 'row', class: 'num' }, item.sequence ?? '—'),
      h('td', {}, item.commodity_code
        ? h('button', { type: 'button', class: 'link code', title: 'Look this code up in the tariff', on: { click: () => onCode(item) } }, item.commodity_code)
        : '—',
      item.additional_codes?.length ? h('div', { class: 'muted small' }, item.additional_codes.join(' ')) : null),
      h('td', { class: 'description' }, item.description ?? '—'),
      h('td', {}, [item.origin, item.preferential_origin ? `pref. ${item.preferential_origin}` : null].filter(Boolean).join(' · ') || '—'),
      h('td', {}, [item.procedure, ...(item.additional_procedures ?? [])].filter(Boolean).join(' ') || '—'),
      h('td', { class: 'num' }, value ? money(value) : '—',
        value ? h('div', { class: 'muted small' }, item.customs_value ? 'customs value' : 'item price') : null,
        item.valuation ? h('div', { class: 'muted small valuation', 'data-testid': 'valuation' }, item.valuation) : null),
      h('td', { class: 'num mass' }, [item.gross_mass, item.net_mass].some(Boolean)
        ? `${decimal(item.gross_mass ?? '—')} / ${decimal(item.net_mass ?? '—')}`
        : '—',
      item.supplementary_units ? h('div', { class: 'muted small' }, quantity(item.supplementary_units)) : null),
      h('td', { class: 'num' }, taxTotal.length ? taxTotal.map((total) => h('div', {}, money(total))) : '—'),
      h('td', {}, flags.length ? flags.map((flag) => h('span', { class: `badge flag-${flag.status}`, title: flag.message }, flag.category)) : '—')));
  if (taxLines.length) {
    body.append(h('tr', { class: 'tax-lines' }, h('td', {}), h('td', { colspan: 8 },
      h('table', { class: 'grid tax' },
        h('thead', {}, h('tr', {}, ['Tax', 'Base', 'Rate', 'Amount', 'Formula', 'Measure', 'Legal basis'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, taxLines.map((line) => h('tr', {},
          h('td', {}, h('abbr', { title: taxName(line.type) }, line.type), ' ', h('span', { class: 'muted' }, taxName(line.type))),
          h('td', { class: 'num wraps' }, [money(line.base), quantity(line.base_quantity)].filter(Boolean).join(' · ') || '—'),
          h('td', { class: 'num wraps' }, line.rate),
          h('td', { class: 'num strong', 'data-testid': 'tax-amount' }, money(line.amount)),
          h('td', { class: 'formula' }, line.formula),
          h('td', {}, line.measure),
          h('td', { class: 'small' }, line.legal_basis))))))));
  }
  return body;
}

/** The restriction flags of every item, with the documents they need. */
export function renderFlags(panel, report) {
  const { flags } = tally(report);
  if (!flags.length) {
    fill(panel, h('p', { class: 'empty' }, report.declaration
      ? 'No prohibition, restriction or sanction flags on any item.'
      : 'No declaration was read.'));
    return;
  }
  const table = (slice) => h('table', { class: 'grid flags' },
    h('thead', {}, h('tr', {}, ['Item', 'Commodity code', 'Category', 'Status', 'Documents', 'What it means', 'Legal basis', 'Rule'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, slice.map(({ item, flag }) => h('tr', { class: `flag-row flag-${flag.status}` },
      h('th', { scope: 'row', class: 'num' }, item.sequence ?? '—'),
      h('td', { class: 'code' }, item.commodity_code ?? '—'),
      h('td', {}, flag.category),
      h('td', {}, h('span', { class: `badge flag-${flag.status}`, 'data-testid': 'flag-status' }, FLAG_STATUS[flag.status] ?? flag.status)),
      h('td', {}, flag.documents?.length ? flag.documents.map((document) => h('span', { class: 'chip doc' }, document)) : '—'),
      h('td', {}, flag.message),
      h('td', { class: 'small' }, flag.legal_basis),
      h('td', { class: 'small code' }, flag.rule)))));
  fill(panel, paginated(flags, 50, table, 'Flags'));
}

/** The parties with their screening results, matches first. */
export function renderParties(panel, report) {
  const parties = [...report.parties].sort((a, b) => (b.matches?.length ? 1 : 0) - (a.matches?.length ? 1 : 0));
  if (!parties.length) {
    fill(panel, h('p', { class: 'empty' }, 'The declaration names no party.'));
    return;
  }
  const table = (slice) => h('table', { class: 'grid parties' },
    h('thead', {}, h('tr', {}, ['Role', 'Identifier', 'Name', 'Country', 'Screening'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, slice.map((party) => h('tr', { class: party.matches?.length ? 'matched' : '' },
      h('th', { scope: 'row' }, party.role),
      h('td', { class: 'code' }, party.id ?? '—'),
      h('td', {}, party.name ?? '—'),
      h('td', {}, party.country ?? '—'),
      h('td', {}, party.matches?.length
        ? h('ul', { class: 'matches' }, party.matches.map((match) => h('li', { 'data-testid': 'party-match' }, describe(match))))
        : h('span', { class: 'muted' }, 'No match'))))));
  fill(panel, paginated(parties, 50, table, 'Parties'));
}

/** A screening match of any shape, as `key: value` pairs. */
function describe(value) {
  if (value === null || typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([key, field]) => `${key}: ${typeof field === 'object' && field !== null ? JSON.stringify(field) : field}`)
    .join(' · ');
}

/** The report JSON, pretty-printed once the panel is first opened. */
export function renderJson(panel, json) {
  const pre = h('pre', { class: 'json' });
  pre.textContent = JSON.stringify(JSON.parse(json), null, 2);
  fill(panel, pre);
}

/** A tariff line as `tariffShow` returns it: its place in the nomenclature and its measures. */
export function renderCommodity(body, commodity) {
  const validity = [commodity.valid_from && `from ${commodity.valid_from}`, commodity.valid_to && `to ${commodity.valid_to}`].filter(Boolean).join(' ');
  fill(body,
    h('p', { class: 'commodity-title' }, h('code', {}, commodity.printed_code), ' ', commodity.description),
    h('p', { class: 'muted' },
      `${commodity.jurisdiction.toUpperCase()} tariff on ${commodity.date}`,
      commodity.origin ? ` · measures for goods from ${commodity.origin}` : ' · measures for any origin',
      ` · ${commodity.declarable ? 'declarable' : 'not declarable'}`,
      validity ? ` · valid ${validity}` : ''),
    commodity.path.length
      ? h('ol', { class: 'breadcrumb', 'aria-label': 'Place in the nomenclature' },
        commodity.path.map((entry) => h('li', {}, entry.code ? h('code', {}, entry.code) : null, ' ', entry.description)))
      : null,
    commodity.units.length ? h('p', {}, `Units: ${commodity.units.join(', ')}`) : null,
    commodity.chapter_99.length ? h('p', {}, `Chapter 99: ${commodity.chapter_99.join(', ')}`) : null,
    commodity.measures.length
      ? h('table', { class: 'grid measures' },
        h('thead', {}, h('tr', {}, ['Measure', 'Origin', 'Rate', 'Conditions', 'Legal basis'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, commodity.measures.map((measure) => h('tr', {},
          h('td', {}, h('code', {}, measure.type), ' ', measure.type_description,
            measure.additional_code ? h('div', { class: 'muted small' }, `additional code ${measure.additional_code}${measure.additional_code_description ? ` ${measure.additional_code_description}` : ''}`) : null,
            measure.order_number ? h('div', { class: 'muted small' }, `quota ${measure.order_number}`) : null),
          h('td', {}, measure.origin_description ? `${measure.origin_description} (${measure.origin})` : measure.origin,
            measure.excluded.length ? h('div', { class: 'muted small' }, `excluding ${measure.excluded.join(' ')}`) : null),
          h('td', { class: 'num' }, measure.expression ?? (measure.expression_source || '—'),
            measure.expression && measure.expression !== measure.expression_source ? h('div', { class: 'muted small' }, `source: ${measure.expression_source}`) : null),
          h('td', { class: 'small' }, measure.conditions.length
            ? h('ul', { class: 'conditions' }, measure.conditions.map((condition) => h('li', {},
              `${condition.code}${condition.document ? ` ${condition.document}` : ''}: ${condition.action}${condition.duty_expression ? ` → ${condition.duty_expression}` : ''}`)))
            : '—'),
          h('td', { class: 'small' }, measure.legal_basis ?? '—')))))
      : h('p', { class: 'empty' }, 'No measure applies on this date.'));
}
