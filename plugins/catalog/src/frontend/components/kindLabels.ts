/** `components`, `APIs`, `entities`, `policies`. */
export function pluralKind(kindName: string): string {
  const noun = kindName === kindName.toUpperCase() ? kindName : kindName.toLowerCase();
  if (noun === noun.toUpperCase()) return `${noun}s`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return noun.endsWith('s') ? `${noun}es` : `${noun}s`;
}

/** `1 component`, `30 components`, `10 APIs`, `3 entities`. */
export function countLabel(count: number, kindName: string): string {
  const singular = kindName === kindName.toUpperCase() ? kindName : kindName.toLowerCase();
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralKind(kindName)}`;
}
