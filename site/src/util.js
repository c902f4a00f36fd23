// DOM and formatting helpers. Everything from a declaration or a report reaches the page as
// text nodes, never as markup: the page has no HTML sink for data.

/**
 * Creates an element. `props`: `class`, `text`, `on` ({ event: handler }), and attributes
 * (`aria-*`, `data-*`, `id`, `type`, ...; booleans set or omit them). Children: nodes, strings,
 * arrays; null, undefined and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** Empties `element` and fills it with `children`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const integer = new Intl.NumberFormat('en-GB');

/** A count with thousands separators. */
export function count(n) {
  return integer.format(n);
}

/** `n thing(s)`. */
export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** An exact decimal string with thousands separators; the digits are never rounded. */
export function decimal(text) {
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text)) return text ?? '';
  const [whole, fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** `GBP 1,234.50` from a report's `{ amount, currency }`. */
export function money(value) {
  if (!value) return '';
  return value.currency ? `${value.currency} ${decimal(value.amount)}` : decimal(value.amount);
}

/** `12.5 KGM` from a report's `{ quantity, unit }`. */
export function quantity(value) {
  if (!value) return '';
  return value.unit ? `${decimal(value.quantity)} ${value.unit}` : decimal(value.quantity);
}

/** Adds exact decimal strings (no floating point: amounts are money). */
export function addDecimals(values) {
  let scale = 0;
  for (const value of values) scale = Math.max(scale, (value.split('.')[1] ?? '').length);
  let total = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.replace('-', '').split('.');
    const units = BigInt(whole + fraction.padEnd(scale, '0'));
    total += value.startsWith('-') ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** Sums `{ amount, currency }` values by currency: `[{ amount, currency }]`. */
export function sumMoney(values) {
  const byCurrency = new Map();
  for (const value of values) {
    if (!value) continue;
    const key = value.currency ?? '';
    byCurrency.set(key, [...(byCurrency.get(key) ?? []), value.amount]);
  }
  return [...byCurrency].map(([currency, amounts]) => ({ amount: addDecimals(amounts), currency: currency || null }));
}

/** Today's date in the broker's time zone, as YYYY-MM-DD. */
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Resolves after the browser has painted the current DOM. */
export function painted() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * A paginated list: `render(slice, offset)` returns the nodes of one page. Returns the element
 * holding the pager and the page; keyboard users move with the Previous/Next buttons.
 */
export function paginated(rows, pageSize, render, label) {
  const box = h('div', { class: 'paged' });
  let page = 0;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const show = (next, focus) => {
    page = Math.min(Math.max(next, 0), pages - 1);
    const start = page * pageSize;
    const slice = rows.slice(start, start + pageSize);
    fill(box, pages > 1 ? pagerBar() : null, render(slice, start), pages > 1 ? pagerBar() : null);
    if (focus) box.querySelector(`[data-pager="${focus}"]`)?.focus();
  };
  const pagerBar = () => {
    const start = page * pageSize;
    return h('nav', { class: 'pager', 'aria-label': `${label} pages` },
      h('span', { class: 'pager-range' }, `${count(start + 1)}–${count(Math.min(start + pageSize, rows.length))} of ${count(rows.length)}`),
      h('button', { type: 'button', 'data-pager': 'first', disabled: page === 0, on: { click: () => show(0, 'next') } }, '« First'),
      h('button', { type: 'button', 'data-pager': 'previous', disabled: page === 0, on: { click: () => show(page - 1, 'previous') } }, '‹ Previous'),
      h('span', { class: 'pager-page' }, `Page ${count(page + 1)} of ${count(pages)}`),
      h('button', { type: 'button', 'data-pager': 'next', disabled: page === pages - 1, on: { click: () => show(page + 1, 'next') } }, 'Next ›'),
      h('button', { type: 'button', 'data-pager': 'last', disabled: page === pages - 1, on: { click: () => show(pages - 1, 'previous') } }, 'Last »'));
  };
  box.showRow = (index) => {
    if (Math.floor(index / pageSize) !== page) show(Math.floor(index / pageSize));
  };
  show(0);
  return box;
}
