// The source view: the declaration's lines with numbers and finding markers, rendered only
// where visible (a 999-item declaration has tens of thousands of lines), and the element a
// finding points at highlighted from its start tag to its end tag.

import { h, fill } from './util.js';

const OVERSCAN = 30;
const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };

export class SourceView {
  constructor(viewport, note, noteBody) {
    this.viewport = viewport;
    this.note = note;
    this.noteBody = noteBody;
    this.starts = [];
    this.text = '';
    this.markers = new Map();
    this.range = null;
    this.rendered = '';
    this.lineHeight = 20;
    this.spacer = h('div', { class: 'source-spacer' });
    this.window = h('div', { class: 'source-window' });
    this.spacer.append(this.window);
    viewport.append(this.spacer);
    viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /** Shows `text`; `findings` put a marker in the gutter of their lines. */
  show(text, findings) {
    this.text = text;
    // Line starts only: a line's text is sliced when it scrolls into view.
    const starts = [0];
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    this.starts = starts;
    this.markers = new Map();
    for (const finding of findings) {
      if (!finding.line) continue;
      const current = this.markers.get(finding.line);
      if (!current || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current]) this.markers.set(finding.line, finding.severity);
    }
    this.range = null;
    this.note.hidden = true;
    this.lineHeight = parseFloat(getComputedStyle(this.viewport).getPropertyValue('--line-height')) || 20;
    this.spacer.style.height = `${this.lineCount * this.lineHeight}px`;
    this.viewport.scrollTop = 0;
    this.rendered = '';
    this.render();
  }

  /** Scrolls to a finding's element, highlights it and says what the finding is. */
  reveal(finding) {
    const start = this.offsetOf(finding.line, finding.column);
    if (start === undefined) return;
    const end = elementEnd(this.text, start);
    this.range = { start: this.position(start), end: this.position(end) };
    fill(this.noteBody,
      h('span', { class: `badge sev-${finding.severity}` }, finding.severity),
      h('code', {}, finding.code),
      h('span', { class: 'note-message' }, finding.message),
      h('span', { class: 'note-where' }, `line ${finding.line}, column ${finding.column}`));
    this.note.hidden = false;
    const top = (this.range.start.line - 1) * this.lineHeight;
    this.viewport.scrollTop = Math.max(0, top - this.viewport.clientHeight / 3);
    this.rendered = '';
    this.render();
  }

  /** The number of lines. */
  get lineCount() {
    return this.starts.length;
  }

  /** The text of a 1-based line, without its newline. */
  line(number) {
    const start = this.starts[number - 1];
    const next = this.starts[number];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  /** The UTF-16 offset of a 1-based line and a 1-based column counted in characters. */
  offsetOf(line, column) {
    const start = this.starts[line - 1];
    if (start === undefined) return undefined;
    const text = this.line(line);
    let index = 0;
    for (let seen = 1; seen < column && index < text.length; seen += 1) {
      index += text.codePointAt(index) > 0xffff ? 2 : 1;
    }
    return start + index;
  }

  /** The 1-based line and 0-based UTF-16 column of an offset. */
  position(offset) {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] };
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  render() {
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / this.lineHeight) - OVERSCAN);
    const visible = Math.ceil(this.viewport.clientHeight / this.lineHeight) + 2 * OVERSCAN;
    const last = Math.min(this.lineCount, first + visible);
    const key = `${first}:${last}`;
    if (key === this.rendered) return;
    this.rendered = key;
    this.window.style.transform = `translateY(${first * this.lineHeight}px)`;
    const rows = [];
    for (let index = first; index < last; index += 1) rows.push(this.row(index + 1));
    this.window.replaceChildren(...rows);
  }

  row(number) {
    const text = this.line(number).replace(/\r$/, '');
    const severity = this.markers.get(number);
    const range = this.range;
    const inside = range && number >= range.start.line && number <= range.end.line;
    let code;
    if (inside) {
      const from = number === range.start.line ? range.start.column : 0;
      const to = number === range.end.line ? range.end.column : text.length;
      code = h('code', {}, text.slice(0, from), h('mark', {}, text.slice(from, to) || ' '), text.slice(to));
    } else {
      code = h('code', {}, text || ' ');
    }
    return h('div', {
      class: `source-line${inside ? ' highlighted' : ''}${range && number === range.start.line ? ' anchor' : ''}`,
      'data-line': number,
    },
    h('span', { class: 'line-number', 'aria-hidden': 'true' }, number),
    h('span', { class: `marker${severity ? ` sev-${severity}` : ''}`, title: severity ?? undefined }),
    code);
  }
}

/**
 * The offset just past the element whose start tag begins at `start`: past its matching end
 * tag, or past the start tag when it is empty (`<a/>`) or its end cannot be found. For a
 * position that is not a start tag, the rest of the line.
 */
export function elementEnd(text, start) {
  const lineEnd = () => {
    const newline = text.indexOf('\n', start);
    return newline === -1 ? text.length : newline;
  };
  if (text[start] !== '<' || !/[A-Za-z_:]/.test(text[start + 1] ?? '')) return Math.max(lineEnd(), start + 1);
  const name = /^<([^\s/>]+)/.exec(text.slice(start, start + 200))?.[1];
  const tagEnd = endOfTag(text, start);
  if (tagEnd === -1) return lineEnd();
  if (text[tagEnd - 2] === '/') return tagEnd;
  let depth = 1;
  let at = tagEnd;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    if (open === -1) break;
    if (text.startsWith('<!--', open)) at = skipPast(text, open, '-->');
    else if (text.startsWith('<![CDATA[', open)) at = skipPast(text, open, ']]>');
    else if (text.startsWith('<?', open) || text.startsWith('<!', open)) at = skipPast(text, open, '>');
    else if (text[open + 1] === '/') {
      const close = text.indexOf('>', open);
      if (close === -1) break;
      if (text.slice(open + 2, close).trim() === name) depth -= 1;
      at = close + 1;
      if (depth === 0) return at;
    } else {
      const end = endOfTag(text, open);
      if (end === -1) break;
      const inner = /^<([^\s/>]+)/.exec(text.slice(open, open + 200))?.[1];
      if (inner === name && text[end - 2] !== '/') depth += 1;
      at = end;
    }
    if (at === -1) break;
  }
  return tagEnd;
}

/** The offset past the `>` of the tag at `open`, skipping quoted attribute values. */
function endOfTag(text, open) {
  let quote = '';
  for (let at = open + 1; at < text.length; at += 1) {
    const char = text[at];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return at + 1;
    else if (char === '<') return -1;
  }
  return -1;
}

function skipPast(text, from, terminator) {
  const at = text.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}
