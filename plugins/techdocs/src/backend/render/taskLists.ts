import type { MarkdownIt, StateCore, Token } from 'markdown-it';

const TASK = /^\[([ xX])\][ \u00a0]/;

/**
 * GitHub/pymdownx task lists: `- [ ] todo`, `- [x] done` become disabled checkboxes. One
 * forward pass keeps the open lists on a stack (looking back for each item's list was
 * quadratic in the length of the list).
 */
function taskListsRule(state: StateCore): void {
  const tokens = state.tokens;
  const lists: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      lists.push(token);
      continue;
    }
    if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      lists.pop();
      continue;
    }
    if (i < 2 || token.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') continue;
    const first = token.children?.[0];
    if (!first || first.type !== 'text') continue;
    const m = TASK.exec(first.content);
    if (!m) continue;
    first.content = first.content.slice(m[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content = `<input type="checkbox" class="task-list-item-checkbox" disabled${m[1] === ' ' ? '' : ' checked'}> `;
    token.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'task-list-item');
    const list = lists.at(-1);
    if (list && !String(list.attrGet('class') ?? '').includes('contains-task-list')) list.attrJoin('class', 'contains-task-list');
  }
}

export function taskListsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('atrium_task_lists', taskListsRule);
}
