import type { MarkdownIt, StateBlock } from 'markdown-it';

/**
 * The indented blocks of Python-Markdown that mkdocs sites use everywhere:
 * admonitions (`!!! note "Title"`, collapsible `??? tip` / `???+ tip`) and content tabs
 * (pymdownx.tabbed `=== "Tab"`). Their body is the following lines indented by four spaces,
 * parsed as Markdown of its own.
 */

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
}

/** The line after the last line indented at least `indent` (blank lines inside count). */
function indentedEnd(state: StateBlock, from: number, endLine: number, indent: number): number {
  let last = from - 1;
  for (let line = from; line < endLine; line++) {
    if (state.isEmpty(line)) continue;
    if (state.sCount[line]! < indent) break;
    last = line;
  }
  return last + 1;
}

/** Parses lines [from, to) as nested Markdown indented by `indent`. */
function tokenizeIndented(state: StateBlock, from: number, to: number, indent: number, parent: string): void {
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  const oldIndent = state.blkIndent;
  state.parentType = parent as typeof state.parentType;
  state.lineMax = to;
  state.blkIndent = indent;
  state.md.block.tokenize(state, from, to);
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  state.blkIndent = oldIndent;
}

const ADMONITION = /^(!!!|\?\?\?\+?)[ \t]+([A-Za-z][\w-]*)((?:[ \t]+[A-Za-z][\w-]*)*)(?:[ \t]+"(.*)")?[ \t]*$/;

function admonitionType(raw: string): string {
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '')
      .slice(0, 32) || 'note'
  );
}

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function admonitionRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const m = ADMONITION.exec(lineText(state, startLine));
  if (!m) return false;
  if (silent) return true;
  const marker = m[1]!;
  const type = admonitionType(m[2]!);
  const extra = (m[3] ?? '').trim().split(/\s+/).filter(Boolean).map(admonitionType);
  const title = m[4] !== undefined ? m[4] : titleCase(m[2]!);
  const collapsible = marker.startsWith('???');
  const indent = state.sCount[startLine]! + 4;
  const end = indentedEnd(state, startLine + 1, endLine, indent);

  const classes = ['admonition', `admonition-${type}`, ...extra.map((c) => `admonition-${c}`)].join(' ');
  const open = state.push('admonition_open', collapsible ? 'details' : 'div', 1);
  open.block = true;
  open.map = [startLine, end];
  open.attrSet('class', classes);
  if (collapsible && marker === '???+') open.attrSet('open', '');
  if (title !== '' || collapsible) {
    const titleOpen = state.push('admonition_title_open', collapsible ? 'summary' : 'p', 1);
    titleOpen.attrSet('class', 'admonition-title');
    const inline = state.push('inline', '', 0);
    inline.content = title || titleCase(type);
    inline.map = [startLine, startLine + 1];
    inline.children = [];
    state.push('admonition_title_close', collapsible ? 'summary' : 'p', -1);
  }
  tokenizeIndented(state, startLine + 1, end, indent, 'admonition');
  state.push('admonition_close', collapsible ? 'details' : 'div', -1);
  state.line = end;
  return true;
}

const TAB = /^===([!+]{0,2})[ \t]+"(.*)"[ \t]*$/;

function tabsRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const first = TAB.exec(lineText(state, startLine));
  if (!first) return false;
  if (silent) return true;
  const baseIndent = state.sCount[startLine]!;
  const indent = baseIndent + 4;
  const tabs: Array<{ title: string; selected: boolean; from: number; to: number }> = [];
  let line = startLine;
  for (;;) {
    const m = TAB.exec(lineText(state, line))!;
    const to = indentedEnd(state, line + 1, endLine, indent);
    tabs.push({ title: m[2]!, selected: m[1]!.includes('+'), from: line + 1, to });
    // The next tab continues this set when it follows at the same indent (after blank lines) without `!`.
    let next = to;
    while (next < endLine && state.isEmpty(next)) next++;
    if (next >= endLine || state.sCount[next] !== baseIndent) break;
    const following = TAB.exec(lineText(state, next));
    if (!following || following[1]!.includes('!')) break;
    line = next;
  }
  const end = tabs[tabs.length - 1]!.to;
  const selected = Math.max(
    0,
    tabs.findIndex((t) => t.selected),
  );

  const set = state.push('tabbed_set_open', 'div', 1);
  set.attrSet('class', 'tabbed-set');
  set.map = [startLine, end];
  state.push('tabbed_labels_open', 'div', 1).attrSet('class', 'tabbed-labels');
  tabs.forEach((tab, i) => {
    const label = state.push('tabbed_label_open', 'span', 1);
    label.attrSet('class', i === selected ? 'tabbed-label tabbed-label-selected' : 'tabbed-label');
    const inline = state.push('inline', '', 0);
    inline.content = tab.title;
    inline.children = [];
    state.push('tabbed_label_close', 'span', -1);
  });
  state.push('tabbed_labels_close', 'div', -1);
  state.push('tabbed_content_open', 'div', 1).attrSet('class', 'tabbed-content');
  tabs.forEach((tab, i) => {
    const block = state.push('tabbed_block_open', 'div', 1);
    block.attrSet('class', i === selected ? 'tabbed-block tabbed-block-selected' : 'tabbed-block');
    tokenizeIndented(state, tab.from, tab.to, indent, 'tabbed');
    state.push('tabbed_block_close', 'div', -1);
  });
  state.push('tabbed_content_close', 'div', -1);
  state.push('tabbed_set_close', 'div', -1);
  state.line = end;
  return true;
}

export function indentedBlocksPlugin(md: MarkdownIt): void {
  const alt = { alt: ['paragraph', 'reference', 'blockquote', 'list'] };
  md.block.ruler.before('fence', 'admonition', admonitionRule, alt);
  md.block.ruler.before('fence', 'tabbed', tabsRule, alt);
}
