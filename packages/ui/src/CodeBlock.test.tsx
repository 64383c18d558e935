// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { CodeBlock } from './CodeBlock';
import { renderForTest, type RenderResult } from './testing';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
});

describe('CodeBlock', () => {
  it('shows the text as text, labelled and focusable, with no copy button unless asked', async () => {
    rendered = await renderForTest(<CodeBlock code={'<img src=x onerror=alert(1)>\nkind: Component'} label="Entity YAML" />);
    const block = rendered.container.querySelector('pre[aria-label="Entity YAML"]');
    expect(block?.textContent).toBe('<img src=x onerror=alert(1)>\nkind: Component');
    expect(block?.getAttribute('tabindex')).toBe('0');
    expect(rendered.container.querySelector('img')).toBeNull();
    expect(rendered.container.querySelector('button')).toBeNull();
  });

  it('adds a copy button with the given text and a caption, and wraps when asked', async () => {
    rendered = await renderForTest(<CodeBlock code="a" label="Definition" copyLabel="Copy definition" caption="3 lines" wrap />);
    expect(rendered.container.querySelector('button')?.textContent).toBe('Copy definition');
    expect(rendered.container.textContent).toContain('3 lines');
    expect((rendered.container.querySelector('pre') as HTMLElement).style.whiteSpace).toBe('pre-wrap');
  });
});
