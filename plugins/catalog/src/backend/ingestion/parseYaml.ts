import { parseFast, type FastDocument } from './fastYaml.js';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, mergeTag, parseEvents, SCALAR_STYLE, YAMLException, type Event } from 'js-yaml';

/**
 * Multi-document YAML parsing for descriptor files, on js-yaml's event stream:
 * - the core schema plus `<<` merge keys: plain data only, no tags that construct objects
 *   or run code;
 * - alias expansion is measured on the events before anything is constructed, so a
 *   "billion laughs" document is refused without ever being expanded;
 * - each document knows where it starts, and can map a field path to a line;
 * - a syntax error only costs the document it is in: the file is re-parsed document by
 *   document to keep the others.
 * Most descriptor files take a faster path first (fastYaml.ts) that gives the same values and
 * document starts; it hands everything it cannot do exactly back to the event stream.
 */

const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface YamlProblem extends Position {
  message: string;
  kind: 'yaml' | 'security';
}

export interface YamlDocument {
  /** The parsed value; undefined for an empty document or when `problem` is set. */
  value: unknown;
  /** True for a document with no content at all (skipped silently). */
  empty: boolean;
  problem?: YamlProblem;
  /** Where the document's first node starts. */
  start: Position;
  /** Best-effort position of a field path (`spec.owner`, `metadata.tags[2]`); the deepest existing ancestor if the field is missing. */
  locate(path: string): Position;
}

export interface ParseOptions {
  /** How many nodes alias expansion may add to one document. */
  aliasBudget: number;
}

/** Turns offsets into 1-based line/column, computing line starts once per source. */
class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  at(offset: number): Position {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}

export function parseYamlDocuments(text: string, options: ParseOptions): YamlDocument[] {
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text; // keep offsets, drop the BOM
  const lines = new LineIndex(source);
  const fast = text === source ? parseFast(source) : undefined;
  return fast ? fastDocuments(source, fast, lines, options) : parseWithEvents(source, lines, options);
}

/** The same without the fast path: every document from js-yaml 5's event stream (the reference the fast path is tested against). */
export function parseYamlDocumentsWithEvents(text: string, options: ParseOptions): YamlDocument[] {
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  return parseWithEvents(source, new LineIndex(source), options);
}

/**
 * Documents from the fast path. Field positions come from the event parser, run on the whole file
 * the first time any document of it is asked for one; each document finds its twin by start.
 */
function fastDocuments(source: string, fast: FastDocument[], lines: LineIndex, options: ParseOptions): YamlDocument[] {
  let twins: Map<string, YamlDocument> | undefined;
  const twinOf = (start: Position) => {
    twins ??= new Map(parseWithEvents(source, lines, options).map((d) => [`${d.start.line}:${d.start.column}`, d]));
    return twins.get(`${start.line}:${start.column}`);
  };
  return fast.map((d) => {
    const start = lines.at(Math.max(d.start, 0));
    const locate = (fieldPath: string) => twinOf(start)?.locate(fieldPath) ?? start;
    return d.start < 0 ? { value: undefined, empty: true, start, locate } : { value: d.value, empty: false, start, locate };
  });
}

function parseWithEvents(source: string, lines: LineIndex, options: ParseOptions): YamlDocument[] {
  try {
    return documentsOf(source, parseEvents(source, {}), 0, lines, options);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    return parseChunks(source, lines, options);
  }
}

const UNBUILT = Symbol('unbuilt');

/**
 * Builds the documents of one event stream. Constructing the whole stream in one call is
 * several times faster than one call per document, so that is tried first whenever no
 * document is over the alias budget; a construction error (e.g. a duplicate key) falls
 * back to one document at a time, so the error stays with its document.
 */
function documentsOf(source: string, events: Event[], base: number, lines: LineIndex, options: ParseOptions): YamlDocument[] {
  const ranges = splitDocuments(events);
  const expansions = ranges.map(([from, to]) => aliasExpansion(source, events, from, to, options.aliasBudget));
  let values: unknown[] | undefined;
  if (expansions.every((e) => e <= options.aliasBudget)) {
    try {
      values = constructFromEvents(events, { source, schema: SCHEMA });
      if (values.length !== ranges.length) values = undefined;
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
    }
  }
  return ranges.map((range, i) => buildDocument(source, events, range, base, lines, options, expansions[i]!, values ? values[i] : UNBUILT));
}

/** [start, end) event index ranges of each document (DOCUMENT … its POP). */
function splitDocuments(events: Event[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < events.length; i++) {
    const type = events[i]!.type;
    if (type === EVENT_ID.DOCUMENT || type === EVENT_ID.SEQUENCE || type === EVENT_ID.MAPPING) {
      if (depth === 0) start = i;
      depth++;
    } else if (type === EVENT_ID.POP) {
      depth--;
      if (depth === 0) ranges.push([start, i + 1]);
    }
  }
  return ranges;
}

/** The file has a syntax error somewhere: parse each `---`-separated chunk on its own. */
function parseChunks(source: string, lines: LineIndex, options: ParseOptions): YamlDocument[] {
  const markers = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  const bounds = [0];
  for (let m = markers.exec(source); m; m = markers.exec(source)) if (m.index > 0) bounds.push(m.index);
  bounds.push(source.length);
  const documents: YamlDocument[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    let base = bounds[i]!;
    if (source.startsWith('...', base)) {
      // A document end marker: whatever follows it on later lines is a new, bare document.
      const eol = source.indexOf('\n', base);
      base = eol === -1 ? bounds[i + 1]! : Math.min(eol + 1, bounds[i + 1]!);
    }
    const chunk = source.slice(base, bounds[i + 1]);
    if (chunk.trim() === '') continue;
    try {
      documents.push(...documentsOf(chunk, parseEvents(chunk, {}), base, lines, options));
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      const at = lines.at(base + (error.mark?.position ?? 0));
      const problem: YamlProblem = { ...at, kind: 'yaml', message: `YAML syntax error: ${error.reason} (line ${at.line}, column ${at.column})` };
      documents.push({ value: undefined, empty: false, problem, start: lines.at(firstNonBlank(source, base)), locate: () => at });
    }
  }
  return documents;
}

function firstNonBlank(source: string, from: number): number {
  const re = /[^\s-]/g;
  re.lastIndex = from;
  const m = re.exec(source);
  return m ? m.index : from;
}

function eventStart(e: Event): number {
  switch (e.type) {
    case EVENT_ID.SCALAR: {
      // valueStart of a quoted scalar is just inside its opening quote.
      const quoted = e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED;
      return minPositive(e.anchorStart, e.tagStart, quoted && e.valueStart > 0 ? e.valueStart - 1 : e.valueStart);
    }
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return minPositive(e.anchorStart, e.tagStart, e.start);
    case EVENT_ID.ALIAS:
      return Math.max(0, e.anchorStart - 1);
    default:
      return -1;
  }
}

function minPositive(...values: number[]): number {
  let best = -1;
  for (const v of values) if (v >= 0 && (best < 0 || v < best)) best = v;
  return best;
}

function buildDocument(
  source: string,
  events: Event[],
  [from, to]: [number, number],
  base: number,
  chunkLines: LineIndex,
  options: ParseOptions,
  expansion: number,
  prebuilt: unknown,
): YamlDocument {
  const lines = { at: (offset: number) => chunkLines.at(base + offset) };
  const first = events[from + 1];
  const startOffset = first ? eventStart(first) : -1;
  const start = lines.at(startOffset >= 0 ? startOffset : 0);
  const locate = (fieldPath: string) => lines.at(locateOffset(source, events, from + 1, fieldPath) ?? Math.max(startOffset, 0));
  const empty = to - from === 3 && first?.type === EVENT_ID.SCALAR && first.valueStart < 0 && first.anchorStart < 0 && first.tagStart < 0;
  if (empty) return { value: undefined, empty: true, start, locate };

  if (expansion > options.aliasBudget) {
    return {
      value: undefined,
      empty: false,
      start,
      locate,
      problem: {
        ...start,
        kind: 'security',
        message: `YAML document expands to more than ${options.aliasBudget} extra nodes through aliases (a "billion laughs" document?); refusing it`,
      },
    };
  }
  if (prebuilt !== UNBUILT) return { value: prebuilt, empty: false, start, locate };
  try {
    const [value] = constructFromEvents(events.slice(from, to), { source, schema: SCHEMA });
    return { value, empty: false, start, locate };
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? lines.at(error.mark.position) : start;
    return {
      value: undefined,
      empty: false,
      start,
      locate,
      problem: { ...at, kind: 'yaml', message: `YAML error: ${error.reason} (line ${at.line}, column ${at.column})` },
    };
  }
}

/**
 * How many nodes following aliases adds to a document, computed on the events: each
 * anchored node's expanded size is remembered, and an alias costs that size. Stops counting
 * once past the budget, so even astronomically large expansions are measured in linear time.
 */
function aliasExpansion(source: string, events: Event[], from: number, to: number, budget: number): number {
  let extra = 0;
  const anchors = new Map<string, number>();
  const stack: Array<{ size: number; anchor: string | undefined }> = [{ size: 0, anchor: undefined }];
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd) : undefined);
  for (let i = from + 1; i < to - 1; i++) {
    const e = events[i]!;
    const top = stack[stack.length - 1]!;
    if (e.type === EVENT_ID.SCALAR) {
      top.size += 1;
      const anchor = anchorOf(e);
      if (anchor !== undefined) anchors.set(anchor, 1);
    } else if (e.type === EVENT_ID.ALIAS) {
      const size = anchors.get(source.slice(e.anchorStart, e.anchorEnd)) ?? 1;
      top.size += size;
      extra += size - 1;
      if (extra > budget) return extra;
    } else if (e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.MAPPING) {
      stack.push({ size: 1, anchor: anchorOf(e) });
    } else if (e.type === EVENT_ID.POP) {
      const done = stack.pop()!;
      if (done.anchor !== undefined) anchors.set(done.anchor, done.size);
      stack[stack.length - 1]!.size += done.size;
    }
  }
  return extra;
}

// `metadata.annotations["backstage.io/x"]`, `spec.dependsOn[2]`: identifiers, [n] and ["…"].
const PATH_SEGMENT = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

export function parseFieldPath(fieldPath: string): Array<string | number> {
  const segments: Array<string | number> = [];
  PATH_SEGMENT.lastIndex = 0;
  for (let m = PATH_SEGMENT.exec(fieldPath); m; m = PATH_SEGMENT.exec(fieldPath)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
  }
  return segments;
}

/** Index just past the node starting at `i`. */
function skipNode(events: Event[], i: number): number {
  const type = events[i]?.type;
  if (type !== EVENT_ID.SEQUENCE && type !== EVENT_ID.MAPPING) return i + 1;
  let depth = 0;
  for (let j = i; j < events.length; j++) {
    const t = events[j]!.type;
    if (t === EVENT_ID.SEQUENCE || t === EVENT_ID.MAPPING) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return j + 1;
  }
  return events.length;
}

/** Offset of the key (or sequence item) a field path leads to, or of its deepest existing ancestor. */
function locateOffset(source: string, events: Event[], root: number, fieldPath: string): number | undefined {
  let node = root;
  let best: number | undefined;
  for (const segment of parseFieldPath(fieldPath)) {
    const e = events[node];
    if (!e) break;
    let next: number | undefined;
    if (e.type === EVENT_ID.MAPPING && typeof segment === 'string') {
      for (let k = node + 1; events[k] && events[k]!.type !== EVENT_ID.POP;) {
        const key = events[k]!;
        const valueIndex = skipNode(events, k);
        if (key.type === EVENT_ID.SCALAR && getScalarValue(source, key) === segment) {
          best = eventStart(key);
          next = valueIndex;
          break;
        }
        k = skipNode(events, valueIndex);
      }
    } else if (e.type === EVENT_ID.SEQUENCE && typeof segment === 'number') {
      let k = node + 1;
      for (let n = 0; n < segment && events[k] && events[k]!.type !== EVENT_ID.POP; n++) k = skipNode(events, k);
      if (events[k] && events[k]!.type !== EVENT_ID.POP) {
        best = eventStart(events[k]!);
        next = k;
      }
    }
    if (next === undefined) break;
    node = next;
  }
  return best;
}
