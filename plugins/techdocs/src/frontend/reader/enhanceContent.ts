/**
 * Makes the server-rendered page interactive after it is inserted: content tabs become real
 * tabs (roles, keyboard), code blocks get a copy button. The HTML itself never carries script.
 */
export function enhanceTabs(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.tabbed-set').forEach((set, setIndex) => {
    const labels = [...set.querySelectorAll<HTMLElement>(':scope > .tabbed-labels > .tabbed-label')];
    const blocks = [...set.querySelectorAll<HTMLElement>(':scope > .tabbed-content > .tabbed-block')];
    set.querySelector(':scope > .tabbed-labels')?.setAttribute('role', 'tablist');
    const select = (index: number, focus: boolean) => {
      labels.forEach((label, i) => {
        const on = i === index;
        label.classList.toggle('tabbed-label-selected', on);
        label.setAttribute('aria-selected', String(on));
        label.tabIndex = on ? 0 : -1;
        if (on && focus) label.focus();
      });
      blocks.forEach((block, i) => block.classList.toggle('tabbed-block-selected', i === index));
    };
    labels.forEach((label, i) => {
      const id = `docs-tab-${setIndex}-${i}`;
      label.id = id;
      label.setAttribute('role', 'tab');
      blocks[i]?.setAttribute('role', 'tabpanel');
      blocks[i]?.setAttribute('aria-labelledby', id);
      label.onclick = () => select(i, false);
      label.onkeydown = (e) => {
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
          e.preventDefault();
          select((i + (e.key === 'ArrowRight' ? 1 : labels.length - 1)) % labels.length, true);
        } else if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select(i, true);
        }
      };
    });
    select(
      Math.max(
        0,
        labels.findIndex((l) => l.classList.contains('tabbed-label-selected')),
      ),
      false,
    );
  });
}

export function addCopyButtons(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.code-block').forEach((block) => {
    if (block.querySelector(':scope > .code-copy')) return;
    const code = block.querySelector('pre');
    if (!code) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'code-copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    button.onclick = () => {
      void navigator.clipboard?.writeText(code.textContent ?? '').then(() => {
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      });
    };
    block.prepend(button);
  });
}
