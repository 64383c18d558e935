/**
 * Puts the common kinds of name pattern into words, e.g. `^[a-z0-9]+(-[a-z0-9]+)*$` →
 * "Use lowercase letters and digits, joined by single dashes." Anything more elaborate gives
 * undefined: a wrong explanation is worse than none.
 */
export function describePattern(pattern: string): string | undefined {
  const body = /^\^(.*)\$$/.exec(pattern)?.[1];
  if (body === undefined) return undefined;

  // One class repeated: ^[..]+$, ^[..]*$, ^[..]{m,n}$
  const single = new RegExp(`^${CLASS}(?:[+*]|\\{\\d+(?:,\\d*)?\\})$`).exec(body);
  if (single) {
    const words = classWords(single[1]!);
    return words ? `Use only ${join(words)}.` : undefined;
  }

  // Groups of one class joined by a separator: ^[..]+(-[..]+)*$ (the group may be non-capturing).
  const joined = new RegExp(`^${CLASS}\\+\\((?:\\?:)?(\\\\?[-_.])${CLASS}\\+\\)\\*$`).exec(body);
  if (joined && joined[1] === joined[3]) {
    const words = classWords(joined[1]!);
    const separator = SEPARATORS[joined[2]!.replace('\\', '')];
    return words && separator ? `Use ${join(words)}, joined by single ${separator} (not at the start or end).` : undefined;
  }
  return undefined;
}

/** A bracketed character class without nested brackets, captured without its brackets. */
const CLASS = '\\[((?:\\\\.|[^\\]\\\\])+)\\]';

const SEPARATORS: Record<string, string> = { '-': 'dashes', _: 'underscores', '.': 'dots' };

/** The kinds of characters a class allows, in words; undefined for negated or unusual classes. */
function classWords(inner: string): string[] | undefined {
  if (inner.startsWith('^')) return undefined;
  const kinds = new Set<string>();
  let rest = inner;
  const take = (re: RegExp, kind: string | string[]) => {
    if (re.test(rest)) {
      rest = rest.replace(re, '');
      for (const k of Array.isArray(kind) ? kind : [kind]) kinds.add(k);
    }
  };
  take(/\\w/g, ['letters', 'digits', 'underscores']);
  take(/a-z/g, 'lowercase letters');
  take(/A-Z/g, 'uppercase letters');
  take(/(0-9|\\d)/g, 'digits');
  take(/(\\-|-$|^-)/g, 'dashes');
  take(/_/g, 'underscores');
  take(/\\?\./g, 'dots');
  take(/ /g, 'spaces');
  if (rest !== '') return undefined;
  if (kinds.has('lowercase letters') && kinds.has('uppercase letters')) {
    kinds.delete('lowercase letters');
    kinds.delete('uppercase letters');
    kinds.add('letters');
  }
  if (kinds.has('letters')) {
    kinds.delete('lowercase letters');
    kinds.delete('uppercase letters');
  }
  const order = ['letters', 'lowercase letters', 'uppercase letters', 'digits', 'dashes', 'underscores', 'dots', 'spaces'];
  return order.filter((k) => kinds.has(k));
}

function join(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
