// @vitest-environment jsdom
import type { EntityStatusItem } from '@atrium/catalog-model';
import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { TemplateRunProblems } from './components/TemplateProblems';
import { problemPlace } from '@atrium/ui';
import { judgeTemplate } from './templateProblems';

const FILE = '/srv/templates/pause.yaml';
const waitMessage = 'Step "pause", action: unknown wait action "wait:untill" (known: wait:approval, wait:callback, wait:until, wait:pull-request)';

/** A processing error as the catalog stores it on the Template (toStatusItem in the catalog's backend). */
const item = (message: string, line: number, field: string): EntityStatusItem => ({
  type: 'backstage.io/catalog-processing',
  level: 'error',
  message: `InputError: ${message} (${FILE}:${line}, ${field})`,
  error: { name: 'InputError', message, file: FILE, line, field, kind: 'validation' },
});

describe('judgeTemplate', () => {
  it('is runnable without processing errors, whatever else', () => {
    expect(judgeTemplate([], undefined)).toEqual({ state: 'runnable' });
  });

  it('is blocked by the problems the catalog finds in the stored version, each at its line and field', () => {
    const check = judgeTemplate([item(waitMessage, 21, 'spec.steps[1].action')], [{ message: waitMessage, field: 'spec.steps[1].action' }]);
    expect(check).toEqual({ state: 'blocked', problems: [{ message: waitMessage, file: FILE, line: 21, field: 'spec.steps[1].action' }] });
    expect(check.state === 'blocked' ? check.problems.map(problemPlace) : []).toEqual([`${FILE}:21`]);
  });

  it('is runnable when the errors are those of a newer definition the catalog refused (the stored version passes)', () => {
    expect(judgeTemplate([item('spec.type must be a non-empty string', 8, 'spec.type')], [])).toEqual({ state: 'runnable' });
  });

  it('does not decide when the catalog could not be asked', () => {
    expect(judgeTemplate([item(waitMessage, 21, 'spec.steps[1].action')], undefined)).toEqual({
      state: 'unknown',
      reported: [{ message: waitMessage, file: FILE, line: 21, field: 'spec.steps[1].action' }],
    });
  });
});

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
});

describe('TemplateRunProblems', () => {
  it('refuses a blocked template with each reason and links to its catalog page', async () => {
    rendered = await renderForTest(
      <MemoryRouter>
        <TemplateRunProblems
          check={{ state: 'blocked', problems: [{ message: waitMessage, file: FILE, line: 21, field: 'spec.steps[1].action' }] }}
          catalogPath="/catalog/default/template/pause"
        />
      </MemoryRouter>,
    );
    const alert = rendered.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('This template cannot be run');
    expect(alert?.textContent).toContain('Creating a run is refused until the file is fixed');
    expect(alert?.textContent).toContain(`${FILE}:21`);
    expect(alert?.textContent).toContain('field spec.steps[1].action');
    expect(alert?.textContent).toContain(waitMessage);
    expect(alert?.querySelector('a[href="/catalog/default/template/pause"]')).not.toBeNull();
  });

  it('shows reported problems without refusing when their meaning is unknown, and nothing for a runnable template', async () => {
    rendered = await renderForTest(
      <MemoryRouter>
        <TemplateRunProblems check={{ state: 'unknown', reported: [{ message: waitMessage }] }} />
      </MemoryRouter>,
    );
    expect(rendered.container.textContent).toContain('The catalog reported problems with this template');
    expect(rendered.container.textContent).not.toContain('cannot be run');
    await rendered.unmount();
    rendered = await renderForTest(
      <MemoryRouter>
        <TemplateRunProblems check={{ state: 'runnable' }} />
      </MemoryRouter>,
    );
    expect(rendered.container.innerHTML).toBe('');
  });
});
