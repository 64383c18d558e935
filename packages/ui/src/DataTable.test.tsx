// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { DataTable, type DataTableColumn } from './DataTable';
import { renderForTest, type RenderResult } from './testing';

interface Job {
  id: string;
  plugin: string;
  error?: string;
}
const rows: Job[] = [
  { id: 'catalog.sweep', plugin: 'catalog' },
  { id: 'docs.sync', plugin: 'techdocs', error: 'git failed' },
];
const columns: Array<DataTableColumn<Job> | false> = [
  { id: 'job', header: 'Job', primary: true, cell: (j) => j.id },
  { id: 'plugin', header: 'Plugin', cell: (j) => j.plugin },
  { id: 'status', header: 'Status', card: 'aside', cell: (j) => (j.error ? 'failed' : 'ok') },
  { id: 'error', header: 'Last error', cell: (j) => j.error },
  { id: 'note', header: 'Note', card: 'below', cell: (j) => (j.error ? null : `note on ${j.id}`) },
  { id: 'internal', header: 'Internal', card: 'hidden', cell: () => 'x' },
  false,
];

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
});

describe('DataTable', () => {
  it('renders a table with a row header per row', async () => {
    rendered = await renderForTest(<DataTable label="Jobs" rows={rows} columns={columns} rowKey={(j) => j.id} mode="table" />);
    const table = rendered.container.querySelector('table[aria-label="Jobs"]');
    expect([...table!.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Job', 'Plugin', 'Status', 'Last error', 'Note', 'Internal']);
    // An empty cell says so, instead of being blank.
    expect(table!.querySelector('tbody tr')!.querySelectorAll('td')[2]!.textContent).toBe('–');
    expect([...table!.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent)).toEqual(['catalog.sweep', 'docs.sync']);
  });

  it('renders cards: heading, aside, labelled fields without empty ones, hidden columns left out', async () => {
    rendered = await renderForTest(
      <DataTable label="Jobs" rows={rows} columns={columns} rowKey={(j) => j.id} mode="cards" rowDetail={(j) => (j.error ? `detail of ${j.id}` : null)} />,
    );
    const cards = [...rendered.container.querySelectorAll('ul[aria-label="Jobs"] > li')];
    expect(cards).toHaveLength(2);
    expect([...cards[0]!.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Plugin']);
    expect([...cards[1]!.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Plugin', 'Last error']);
    expect(cards[1]!.textContent).toContain('failed');
    expect(cards[1]!.textContent).toContain('detail of docs.sync');
    expect(cards[0]!.textContent).not.toContain('detail');
    expect(cards[0]!.textContent).toContain('note on catalog.sweep');
    expect([...cards[0]!.querySelectorAll('dt')].map((dt) => dt.textContent)).not.toContain('Note');
    expect(rendered.container.textContent).not.toContain('Internal');
  });

  it('picks cards when the space it is given is narrower than minTableWidth', async () => {
    // jsdom lays nothing out: every element is 0 px wide.
    rendered = await renderForTest(<DataTable label="Jobs" rows={rows} columns={columns} rowKey={(j) => j.id} />);
    expect(rendered.container.querySelector('[data-mode="cards"] ul')).not.toBeNull();
    expect(rendered.container.querySelector('table')).toBeNull();
  });
});
