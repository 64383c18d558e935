// @vitest-environment jsdom
import { click, renderForTest, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListTasksResponse, SerializedTask } from '../../common/index';
import { TASK_PAGE_SIZE } from '../api';
import { TaskPager } from './TaskListPage';

const tasks = (n: number): SerializedTask[] =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, status: 'completed', createdAt: '2026-12-01T00:00:00Z', spec: {} }) as unknown as SerializedTask);

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
});

async function pager(data: ListTasksResponse, page = 1) {
  const onPage = vi.fn();
  rendered = await renderForTest(<TaskPager data={data} page={page} onPage={onPage} />);
  const button = (name: string) => [...rendered!.container.querySelectorAll('button')].find((b) => b.textContent === name);
  return { text: rendered.container.textContent ?? '', button, onPage };
}

describe('TaskPager', () => {
  it('says how many runs there are when they fit on one page, with no page buttons', async () => {
    const { text, button } = await pager({ tasks: tasks(7), totalTasks: 7 });
    expect(text).toBe('7 runs');
    expect(button('Next')).toBeUndefined();
  });

  it('shows "1,000+" when the server says its total is a lower bound, and the next page is reachable', async () => {
    const { text, button, onPage } = await pager({ tasks: tasks(TASK_PAGE_SIZE), totalTasks: 1000, totalTasksIsLowerBound: true });
    expect(text).toContain(`1–${TASK_PAGE_SIZE} of 1,000+ runs`);
    expect(button('Previous')?.disabled).toBe(true);
    await click(button('Next')!);
    expect(onPage).toHaveBeenCalledWith(2);
  });

  it('has no next page after the last one of an exact total', async () => {
    const { text, button, onPage } = await pager({ tasks: tasks(50), totalTasks: TASK_PAGE_SIZE * 2 + 50 }, 3);
    expect(text).toContain(`${TASK_PAGE_SIZE * 2 + 1}–${TASK_PAGE_SIZE * 2 + 50} of ${TASK_PAGE_SIZE * 2 + 50} runs`);
    expect(button('Next')?.disabled).toBe(true);
    await click(button('Previous')!);
    expect(onPage).toHaveBeenCalledWith(2);
  });

  it('a page past the end says so and leads to the first page, and to the last when the total is exact', async () => {
    const exact = await pager({ tasks: [], totalTasks: TASK_PAGE_SIZE * 2 + 3 }, 9);
    expect(exact.text).toContain('No runs on page 9');
    expect(exact.text).toContain(`there are ${TASK_PAGE_SIZE * 2 + 3} runs`);
    expect(exact.button('Previous')).toBeUndefined();
    await click(exact.button('Last page')!);
    expect(exact.onPage).toHaveBeenCalledWith(3);
    await click(exact.button('First page')!);
    expect(exact.onPage).toHaveBeenCalledWith(1);
    await rendered?.unmount();
    const bound = await pager({ tasks: [], totalTasks: 1000, totalTasksIsLowerBound: true }, 999);
    expect(bound.text).toContain('No runs on page 999 (there are 1,000+ runs)');
    expect(bound.button('Last page')).toBeUndefined();
    await click(bound.button('First page')!);
    expect(bound.onPage).toHaveBeenCalledWith(1);
  });
});
