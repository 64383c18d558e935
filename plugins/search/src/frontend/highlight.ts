/** One piece of a highlighted field: plain text, or text the search matched. */
export interface HighlightPart {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" };

/** Undoes the HTML escaping of the server's highlight text, so React can escape it again itself. */
export function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/**
 * Splits a highlighted field on the server's pre/post tags. Everything else stays text (never
 * parsed as HTML), so a document holding `<img onerror=…>` shows exactly those characters.
 * A pre tag without its post tag marks nothing.
 */
export function splitHighlight(value: string, preTag: string, postTag: string): HighlightPart[] {
  if (!preTag || !postTag) return [{ text: unescapeHtml(value), marked: false }];
  const parts: HighlightPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let rest = value;
  for (;;) {
    const start = rest.indexOf(preTag);
    if (start < 0) break;
    const end = rest.indexOf(postTag, start + preTag.length);
    if (end < 0) break;
    push(unescapeHtml(rest.slice(0, start)), false);
    push(unescapeHtml(rest.slice(start + preTag.length, end)), true);
    rest = rest.slice(end + postTag.length);
  }
  push(unescapeHtml(rest.split(preTag).join('').split(postTag).join('')), false);
  return parts;
}
