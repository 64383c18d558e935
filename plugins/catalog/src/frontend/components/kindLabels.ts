/** `components`, `APIs`, `entities`, `policies`. */
export function pluralKind(kindName: string): string {
  const noun = kindName === kindName.toUpperCase() ? kindName : kindName.toLowerCase();
  if (noun === noun.toUpperCase()) return `${noun}s`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return noun.endsWith('s') ? `${noun}es` : `${noun}s`;
}

/** `1 component`, `30 components`, `10 APIs`, `3 entities`. */
export function countLabel(count: number, kindName: string): string {
  return `${count.toLocaleString()} ${kindNoun(count, kindName)}`;
}

/** A kind as a noun for a count: `1 component`, `2 systems`, `1 API`. */
export function kindNoun(count: number, kindName: string): string {
  if (count !== 1) return pluralKind(kindName);
  return kindName === kindName.toUpperCase() ? kindName : kindName.toLowerCase();
}
