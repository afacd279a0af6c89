/**
 * A small XML reader for feeds (CAP, Atom/RSS, CoT). Written here rather than taken from npm
 * because what we need is narrow and the safety rules are ours to hold:
 * - a DOCTYPE is refused outright, so no entity is ever expanded and no external entity fetched;
 * - it never throws on bad input: every problem is a returned error with line and column;
 * - it is iterative (no recursion), with limits on length, depth and element count;
 * - it keeps each element's source offsets, so a bad record is quarantined with its own bytes.
 * Namespace prefixes are stripped (`cap:alert` → `alert`); xmlns attributes are dropped. Feeds use
 * a single vocabulary per document, so the local name is all the adapters need.
 */

import { own } from '../../../common/own';

export interface XmlElement {
  /** Local name, prefix stripped. */
  name: string;
  /** Attributes by local name; values entity-decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (text and CDATA), decoded, not trimmed. */
  text: string;
  /** Offsets in the source string: `source.slice(start, end)` is the element as received. */
  start: number;
  end: number;
}

export interface XmlLimits {
  /** Characters; beyond this the document is refused without being read. */
  maxLength: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxLength: 32 * 1024 * 1024, maxDepth: 100, maxElements: 2_000_000 };

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; error: string };

/** One top-level element of a stream, or the reason the bytes at that place could not be read. */
export type XmlFragment =
  | { ok: true; element: XmlElement; raw: string }
  | { ok: false; error: string; raw: string };

/** Parses one XML document (optional prolog, one root element). */
export function parseXml(source: string, limits: Partial<XmlLimits> = {}): XmlResult {
  try {
    return readDocument(source, limits);
  } finally {
    lineIndex = undefined; // do not keep a large document alive between calls
  }
}

function readDocument(source: string, limits: Partial<XmlLimits>): XmlResult {
  const lim = { ...DEFAULT_XML_LIMITS, ...limits };
  if (source.length > lim.maxLength) {
    return { ok: false, error: `document of ${source.length} characters exceeds the limit of ${lim.maxLength}` };
  }
  const counter = { elements: 0 };
  let pos = skipMisc(source, source.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (typeof pos !== 'number') return pos;
  if (pos >= source.length) return { ok: false, error: 'no root element (empty document)' };
  if (source[pos] !== '<') return { ok: false, error: `${where(source, pos)}: text before the root element (not XML?)` };
  const parsed = parseElementAt(source, pos, lim, counter);
  if (!parsed.ok) return parsed;
  pos = parsed.end;
  const after = skipMisc(source, pos);
  if (typeof after !== 'number') return after;
  if (after < source.length) return { ok: false, error: `${where(source, after)}: content after the root element` };
  return { ok: true, root: parsed.element };
}

/**
 * Reads a stream of concatenated documents, as CoT arrives over TCP: `<event…/><event…/>`, each
 * possibly with its own `<?xml?>` declaration. A bad or truncated element costs only itself: the
 * reader resumes at the next start tag of the same name.
 */
export function parseXmlStream(source: string, limits: Partial<XmlLimits> = {}): XmlFragment[] {
  try {
    return readStream(source, limits);
  } finally {
    lineIndex = undefined;
  }
}

function readStream(source: string, limits: Partial<XmlLimits>): XmlFragment[] {
  const lim = { ...DEFAULT_XML_LIMITS, ...limits };
  const out: XmlFragment[] = [];
  if (source.length > lim.maxLength) {
    return [{ ok: false, error: `stream of ${source.length} characters exceeds the limit of ${lim.maxLength}`, raw: source }];
  }
  const counter = { elements: 0 };
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < source.length) {
    const misc = skipMisc(source, pos);
    if (typeof misc !== 'number') {
      // An unterminated comment or a DOCTYPE: nothing after it can be trusted to be a boundary.
      out.push({ ok: false, error: misc.error, raw: source.slice(pos) });
      break;
    }
    pos = misc;
    if (pos >= source.length) break;
    if (source[pos] !== '<') {
      const next = source.indexOf('<', pos);
      const end = next < 0 ? source.length : next;
      out.push({ ok: false, error: `${where(source, pos)}: text outside any element`, raw: source.slice(pos, end) });
      pos = end;
      continue;
    }
    const parsed = parseElementAt(source, pos, lim, counter);
    if (parsed.ok) {
      out.push({ ok: true, element: parsed.element, raw: source.slice(pos, parsed.end) });
      pos = parsed.end;
      continue;
    }
    const resume = nextStartTag(source, pos);
    out.push({ ok: false, error: parsed.error, raw: source.slice(pos, resume) });
    if (parsed.error.includes('element count')) break;
    pos = resume;
  }
  return out;
}

/** The first child element with this local name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Trimmed text of the first child with this name; undefined when absent or blank. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  if (!c) return undefined;
  const t = c.text.trim();
  return t === '' ? undefined : t;
}

/** Every element with this local name, in document order (iterative walk). */
export function descendantsNamed(root: XmlElement, name: string, max = Infinity): XmlElement[] {
  const found: XmlElement[] = [];
  const stack: XmlElement[] = [root];
  while (stack.length && found.length < max) {
    const el = stack.pop() as XmlElement;
    if (el.name === name) found.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as XmlElement);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------

type Failure = { ok: false; error: string };

// Line starts of the last document an error was reported in: many errors in one large stream
// must not each rescan it from the top.
let lineIndex: { source: string; starts: number[] } | undefined;

function where(s: string, pos: number): string {
  if (lineIndex?.source !== s) {
    const starts = [0];
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) starts.push(i + 1);
    lineIndex = { source: s, starts };
  }
  const { starts } = lineIndex;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return `line ${lo + 1}, column ${pos - (starts[lo] as number) + 1}`;
}

/** Skips whitespace, comments, processing instructions and the XML declaration. Refuses DOCTYPE. */
function skipMisc(s: string, pos: number): number | Failure {
  for (;;) {
    while (pos < s.length && isSpace(s.charCodeAt(pos))) pos++;
    if (s.startsWith('<?', pos)) {
      const end = s.indexOf('?>', pos + 2);
      if (end < 0) return { ok: false, error: `${where(s, pos)}: unterminated processing instruction` };
      pos = end + 2;
    } else if (s.startsWith('<!--', pos)) {
      const end = s.indexOf('-->', pos + 4);
      if (end < 0) return { ok: false, error: `${where(s, pos)}: unterminated comment` };
      pos = end + 3;
    } else if (s.startsWith('<!', pos)) {
      return {
        ok: false,
        error: `${where(s, pos)}: DOCTYPE or declaration refused: entities are never expanded and external ones never fetched; ask the sender to remove it`,
      };
    } else {
      return pos;
    }
  }
}

/** Where to resume after a bad element: the next start tag of the same name, else the end. */
function nextStartTag(s: string, pos: number): number {
  const name = /^<([^\s/>]+)/.exec(s.slice(pos, pos + 200))?.[1];
  if (name) {
    for (let i = s.indexOf(`<${name}`, pos + 1); i >= 0; i = s.indexOf(`<${name}`, i + 1)) {
      const c = s.charCodeAt(i + name.length + 1);
      if (Number.isNaN(c) || isSpace(c) || c === 0x3e /* > */ || c === 0x2f /* / */) return i;
    }
  }
  return s.length;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function localName(qname: string): string {
  const colon = qname.lastIndexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** End of an XML name: stops at whitespace and at the characters that end a name in a tag. */
function readName(s: string, pos: number): number {
  let i = pos;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, tab, LF, CR, / > = < " '
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e || c === 0x3d || c === 0x3c || c === 0x22 || c === 0x27) break;
  }
  return i;
}

type Parsed = { ok: true; element: XmlElement; end: number } | Failure;

/** One element being read: the source, the limits, and the open elements with their names as written. */
interface ElementReader {
  s: string;
  lim: XmlLimits;
  counter: { elements: number };
  stack: XmlElement[];
  qnames: string[];
  /** The outermost element, once its start tag is read. */
  root: XmlElement | undefined;
}

/**
 * Parses the element starting at `pos` (which holds '<') and everything inside it. Each turn of
 * the loop reads one piece (text, or one piece of markup) and moves on; the element is done when
 * its end tag closes the last open element.
 */
function parseElementAt(s: string, pos: number, lim: XmlLimits, counter: { elements: number }): Parsed {
  const r: ElementReader = { s, lim, counter, stack: [], qnames: [], root: undefined };
  let i = pos;
  for (;;) {
    if (i >= s.length) return { ok: false, error: `unexpected end of input inside <${r.stack.at(-1)?.name ?? '?'}> (truncated?)` };
    const next = s.charCodeAt(i) === 0x3c /* < */ ? readMarkup(r, i) : readText(r, i);
    if (typeof next !== 'number') return next;
    i = next;
    if (r.root && r.stack.length === 0) return { ok: true, element: r.root, end: i };
  }
}

function fail(error: string): Failure {
  return { ok: false, error };
}

function skipSpaces(s: string, j: number): number {
  while (j < s.length && isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** Character data up to the next '<', decoded and added to the open element. */
function readText(r: ElementReader, i: number): number | Failure {
  const top = r.stack.at(-1);
  if (!top) return fail(`${where(r.s, i)}: expected an element`);
  const lt = r.s.indexOf('<', i);
  const end = lt < 0 ? r.s.length : lt;
  const decoded = decodeEntities(r.s, i, end);
  if (typeof decoded !== 'string') return decoded;
  top.text += decoded;
  return end;
}

/** The piece of markup at `i` (a '<'): comment, CDATA, processing instruction, end tag or start tag. */
function readMarkup(r: ElementReader, i: number): number | Failure {
  const s = r.s;
  if (s.startsWith('<!--', i)) return skipPast(s, i, '<!--', '-->', 'unterminated comment');
  if (s.startsWith('<![CDATA[', i)) return readCdata(r, i);
  if (s.startsWith('<?', i)) return skipPast(s, i, '<?', '?>', 'unterminated processing instruction');
  if (s.startsWith('<!', i)) return fail(`${where(s, i)}: declaration inside an element refused (DOCTYPE/ENTITY are never processed)`);
  if (s.startsWith('</', i)) return readEndTag(r, i);
  return readStartTag(r, i);
}

/** Past the `close` that ends the construct opened at `i`. */
function skipPast(s: string, i: number, open: string, close: string, unterminated: string): number | Failure {
  const end = s.indexOf(close, i + open.length);
  return end < 0 ? fail(`${where(s, i)}: ${unterminated}`) : end + close.length;
}

function readCdata(r: ElementReader, i: number): number | Failure {
  const end = r.s.indexOf(']]>', i + 9);
  if (end < 0) return fail(`${where(r.s, i)}: unterminated CDATA section`);
  const top = r.stack.at(-1);
  if (!top) return fail(`${where(r.s, i)}: CDATA outside any element`);
  top.text += r.s.slice(i + 9, end);
  return end + 3;
}

/** `</name>`: must close the innermost open element, written with the same prefix. */
function readEndTag(r: ElementReader, i: number): number | Failure {
  const s = r.s;
  const nameEnd = readName(s, i + 2);
  const qname = s.slice(i + 2, nameEnd);
  const j = skipSpaces(s, nameEnd);
  if (j >= s.length) return fail(`unexpected end of input in the end tag </${qname} (truncated?)`);
  if (s[j] !== '>') return fail(`${where(s, i)}: malformed end tag </${qname}`);
  const top = r.stack.at(-1);
  if (!top) return fail(`${where(s, i)}: end tag </${qname}> without a start tag`);
  const expected = r.qnames.at(-1);
  if (qname !== expected) return fail(`${where(s, i)}: </${qname}> does not close <${expected}>`);
  top.end = j + 1;
  r.stack.pop();
  r.qnames.pop();
  return j + 1;
}

/** `<name attr="v">` or `<name/>`: a new element, within the limits, child of the open one. */
function readStartTag(r: ElementReader, i: number): number | Failure {
  const s = r.s;
  const nameEnd = readName(s, i + 1);
  const qname = s.slice(i + 1, nameEnd);
  if (qname === '') return fail(`${where(s, i)}: '<' not followed by an element name`);
  if (++r.counter.elements > r.lim.maxElements) return fail(`element count exceeds the limit of ${r.lim.maxElements}`);
  if (r.stack.length >= r.lim.maxDepth) return fail(`${where(s, i)}: nesting deeper than ${r.lim.maxDepth} elements`);
  const el: XmlElement = { name: localName(qname), attrs: {}, children: [], text: '', start: i, end: -1 };
  const tag = readAttributes(s, nameEnd, qname, el.attrs);
  if (!tag.ok) return tag;
  const top = r.stack.at(-1);
  if (top) top.children.push(el);
  else r.root = el;
  if (tag.selfClosing) {
    el.end = tag.end;
  } else {
    r.stack.push(el);
    r.qnames.push(qname);
  }
  return tag.end;
}

/** The attributes of a start tag, from after its name to its '>' or '/>'; xmlns declarations dropped. */
function readAttributes(s: string, j: number, qname: string, attrs: Record<string, string>): { ok: true; end: number; selfClosing: boolean } | Failure {
  for (;;) {
    const wsStart = j;
    j = skipSpaces(s, j);
    if (j >= s.length) return fail(`unexpected end of input inside the tag <${qname}> (truncated?)`);
    if (s[j] === '>') return { ok: true, end: j + 1, selfClosing: false };
    if (s.startsWith('/>', j)) return { ok: true, end: j + 2, selfClosing: true };
    if (j === wsStart) return fail(`${where(s, j)}: expected a space, '>' or '/>' in <${qname}>`);
    const attr = readAttribute(s, j, qname);
    if (!attr.ok) return attr;
    j = attr.end;
    if (attr.qname === 'xmlns' || attr.qname.startsWith('xmlns:')) continue;
    const local = localName(attr.qname);
    if (Object.hasOwn(attrs, local)) return fail(`${where(s, j)}: attribute ${attr.qname} repeated in <${qname}>`);
    attrs[local] = attr.value;
  }
}

/** One `name = "value"` (or single quotes), its value decoded. */
function readAttribute(s: string, j: number, qname: string): { ok: true; qname: string; value: string; end: number } | Failure {
  const an = readName(s, j);
  const attrQName = s.slice(j, an);
  if (attrQName === '') return fail(`${where(s, j)}: unexpected '${s[j]}' in <${qname}>`);
  j = skipSpaces(s, an);
  if (s[j] !== '=') return fail(`${where(s, j)}: attribute ${attrQName} of <${qname}> has no value`);
  j = skipSpaces(s, j + 1);
  const quote = s[j];
  if (quote !== '"' && quote !== "'") return fail(`${where(s, j)}: value of attribute ${attrQName} of <${qname}> is not quoted`);
  const close = s.indexOf(quote, j + 1);
  if (close < 0) return fail(`unexpected end of input in attribute ${attrQName} of <${qname}> (truncated?)`);
  const lt = s.indexOf('<', j + 1);
  if (lt >= 0 && lt < close) return fail(`${where(s, j)}: '<' inside the value of attribute ${attrQName} of <${qname}>`);
  const value = decodeEntities(s, j + 1, close);
  if (typeof value !== 'string') return value;
  return { ok: true, qname: attrQName, value, end: close + 1 };
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /^&(#[0-9]{1,8}|#x[0-9a-fA-F]{1,6}|[A-Za-z_][\w.-]{0,31});/;

/**
 * Decodes the five predefined entities and character references. Any other named entity is an
 * error: it could only be defined by a DTD, which we refuse. A bare '&' that does not look like a
 * reference is kept as is, because real feeds write "Police & Fire" and the meaning is plain.
 */
function decodeEntities(s: string, from: number, to: number): string | Failure {
  // Search the slice, not the document: an indexOf('&') over the rest of a large stream without
  // any '&' would make reading quadratic.
  const chunk = s.slice(from, to);
  let amp = chunk.indexOf('&');
  if (amp < 0) return chunk;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const m = REFERENCE.exec(chunk.slice(amp, amp + 40));
    if (!m) {
      amp = chunk.indexOf('&', amp + 1);
      continue;
    }
    const ref = m[1] as string;
    let text: string | undefined;
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff));
      if (!valid) return { ok: false, error: `${where(s, from + amp)}: &${ref}; is not a valid character` };
      text = String.fromCodePoint(code);
    } else {
      text = own(PREDEFINED, ref);
      if (text === undefined) {
        return { ok: false, error: `${where(s, from + amp)}: unknown entity &${ref}; (only the five XML entities are accepted; DTD entities are never expanded)` };
      }
    }
    out += chunk.slice(last, amp) + text;
    last = amp + m[0].length;
    amp = chunk.indexOf('&', last);
  }
  return out + chunk.slice(last);
}
