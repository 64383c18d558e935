import { expect, type Page } from '@playwright/test';

/** The two widths the UI is checked at: a laptop and a phone. */
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Nothing on the page is wider than the window: no horizontal page scroll, and no table or
 * panel that only fits by scrolling sideways inside itself. Code blocks, the relation graph's
 * canvas and elements marked `data-scrolls-x` may scroll (that is how they show long lines).
 */
export async function expectNoSidewaysScrolling(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) found.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      if (element.closest('pre, .react-flow, [data-scrolls-x], [role="dialog"], [role="tablist"]')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (scrolls && element.scrollWidth > element.clientWidth + 1) {
        const name = `${element.tagName.toLowerCase()}${element.getAttribute('aria-label') ? `[aria-label="${element.getAttribute('aria-label')}"]` : ''}.${[...element.classList].join('.')}`;
        found.push(`${name} scrolls sideways (${element.scrollWidth}px of content in ${element.clientWidth}px)`);
      }
    }
    for (const table of document.querySelectorAll('table')) {
      const rect = table.getBoundingClientRect();
      if (rect.width > 0 && (rect.right > window.innerWidth + 1 || rect.left < -1))
        found.push(`table "${table.getAttribute('aria-label') ?? ''}" sticks out of the window`);
    }
    return found;
  });
  expect(problems, problems.join('\n')).toEqual([]);
}

/**
 * No cell's content spills past (and is cut off by) its cell. Text deliberately shortened with
 * an ellipsis (its full text in a tooltip) does not count.
 */
export async function expectNoOverlappingCells(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    for (const row of document.querySelectorAll('tr')) {
      const cells = [...row.children] as HTMLElement[];
      for (const cell of cells) {
        const box = cell.getBoundingClientRect();
        for (const child of cell.querySelectorAll<HTMLElement>('a, span, p, div, button')) {
          const inner = child.getBoundingClientRect();
          if (inner.width === 0 || getComputedStyle(child).position === 'absolute') continue;
          let ellipsized = false;
          for (let node: HTMLElement | null = child; node && node !== cell; node = node.parentElement) {
            if (getComputedStyle(node).textOverflow === 'ellipsis') ellipsized = true;
          }
          if (ellipsized) continue;
          if (inner.right > box.right + 1 || inner.left < box.left - 1) {
            found.push(`"${(child.textContent ?? '').trim().slice(0, 30)}" spills out of its cell in row "${(row.textContent ?? '').trim().slice(0, 40)}"`);
            break;
          }
        }
      }
    }
    return found.slice(0, 10);
  });
  expect(problems, problems.join('\n')).toEqual([]);
}
