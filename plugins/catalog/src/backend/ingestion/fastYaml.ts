import { FAILSAFE_SCHEMA, loadAll, Type, types } from 'js-yaml-4';

/**
 * The fast path of parseYamlDocuments. js-yaml 4's loader builds a file's documents 2–3× faster
 * than js-yaml 5's event stream (0.28 s against 0.73 s for the 10k bench corpus), but it cannot
 * measure alias expansion, resolve explicit tags as js-yaml 5 does, or say where a field is. So it
 * is used only for files that need none of that:
 * - no anchor or tag (`&name`, `!tag` where a node can start) and no directive: no alias can
 *   expand and every scalar resolves implicitly;
 * - no byte order mark;
 * - scalars resolve exactly as js-yaml 5's core schema resolves them (YAML 1.2 core: `0o`/`0x`
 *   integers but not `0b`, `.5` is a float, no `_` separators), plus `<<` merge keys;
 * - the documents the loader returns line up with the file's document markers, which give each
 *   document's start (where its first node begins). Field positions (`locate`) are asked of the
 *   event parser, lazily, only when a problem or a field line needs one.
 * Anything else, including every error, returns undefined: the caller parses with events.
 */
export interface FastDocument {
  /** The parsed value (null for an empty document). */
  value: unknown;
  /** Offset of the document's first node; -1 for a document with no content. */
  start: number;
}

const CORE_INT = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;
const CORE_FLOAT = /^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function coreInt(source: string): number {
  let value = source;
  let sign = 1;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1;
    value = value.slice(1);
  }
  if (value.startsWith('0o')) return sign * parseInt(value.slice(2), 8);
  if (value.startsWith('0x')) return sign * parseInt(value.slice(2), 16);
  return sign * parseInt(value, 10);
}

function coreFloat(source: string): number {
  let value = source.toLowerCase();
  const sign = value[0] === '-' ? -1 : 1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  if (value === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (value === '.nan') return NaN;
  return sign * parseFloat(value);
}

const INT = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data) => data !== null && CORE_INT.test(data) && Number.isFinite(coreInt(data)),
  construct: coreInt,
});
const FLOAT = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data) => data !== null && CORE_FLOAT.test(data) && (Number.isFinite(coreFloat(data)) || FLOAT_SPECIAL.test(data)),
  construct: coreFloat,
});
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool, INT, FLOAT, types.merge] });

/**
 * What only the event parser handles as js-yaml 5 does, found on the text (a match may be a false
 * alarm, which only costs that file the slower path): an anchor or tag where a node may start
 * (after a space, a flow indicator or the line start), an explicit key (`? `), a directive, a byte
 * order mark. `R&D` and `a=1&b=2` do not match; `Tom & Jerry` does.
 */
const NEEDS_EVENTS = /(?:^|[\s[\]{},])[&!?]|^%|\uFEFF/m;

export function parseFast(source: string): FastDocument[] | undefined {
  if (NEEDS_EVENTS.test(source) || mayHaveCollectionKey(source)) return undefined;
  const starts = documentStarts(source);
  if (!starts) return undefined;
  let values: unknown[];
  try {
    values = loadAll(source, null, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  if (values.length !== starts.length) return undefined;
  const documents: FastDocument[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    // A document the markers call empty must have loaded as null.
    if (start < 0 && values[i] !== null) return undefined;
    documents.push({ value: values[i], start });
  }
  return documents;
}

/**
 * Where each document's first node starts (-1: an explicit document with no content), from the
 * `---` and `...` markers at the start of a line. A bare region before the first marker or after
 * `...` is a document only if it has content. Undefined when a document starts with a block
 * scalar indicator, whose node position the event parser reports differently.
 */
function documentStarts(source: string): number[] | undefined {
  const markers = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  const starts: number[] = [];
  let from = 0;
  let explicit = false;
  for (;;) {
    const marker = markers.exec(source);
    const to = marker ? marker.index : source.length;
    const content = firstContent(source, from, to);
    if (content >= 0 && (source[content] === '|' || source[content] === '>')) return undefined;
    if (explicit || content >= 0) starts.push(content);
    if (!marker) return starts;
    if (source.startsWith('---', marker.index)) {
      explicit = true;
      from = marker.index + 3;
    } else {
      explicit = false;
      const eol = source.indexOf('\n', marker.index);
      from = eol === -1 ? source.length : eol + 1;
    }
  }
}

/** The first character in [from, to) that is neither white space nor part of a comment; -1 if none. */
function firstContent(source: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x23 /* # */) {
      const eol = source.indexOf('\n', i);
      if (eol === -1 || eol >= to) return -1;
      i = eol + 1;
    } else {
      return i;
    }
  }
  return -1;
}

/**
 * Whether a collection could be a mapping key, which js-yaml 5 refuses and js-yaml 4 turns into a
 * string: a flow collection opening right after `{` or `,` (as in `{{x}}` or `{a, [b]}`), or one
 * closing right before `:` (`[a, b]: 1`), with white space and comments between them skipped (a
 * comment holding a bracket counts as a match: it may be a `#` in a quoted scalar).
 * Also true of some text that only looks like it. One pass, so no input makes it slow.
 */
function mayHaveCollectionKey(source: string): boolean {
  let previous = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c === 0x23 /* # */ && (i === 0 || isSpace(source.charCodeAt(i - 1)))) {
      // A comment, or a `#` inside a quoted scalar that only looks like one: either way, a bracket
      // in the rest of the line could matter, so its presence alone sends the file to the events.
      const eol = source.indexOf('\n', i);
      const end = eol === -1 ? source.length : eol;
      if (BRACKET.test(source.slice(i, end))) return true;
      i = end;
      continue;
    }
    if ((c === 0x7b /* { */ || c === 0x5b) /* [ */ && (previous === 0x7b || previous === 0x2c) /* { , */) return true;
    if (c === 0x3a /* : */ && (previous === 0x5d || previous === 0x7d) /* ] } */) return true;
    previous = c;
  }
  return false;
}

const BRACKET = /[[\]{}]/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
