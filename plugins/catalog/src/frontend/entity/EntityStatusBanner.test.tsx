// @vitest-environment jsdom
import type { Entity, EntityStatusItem } from '@atrium/catalog-model';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EntityStatusBanner } from './EntityStatusBanner';

const FILE = '/srv/templates/pause.yaml';
const waitMessage = 'Step "pause", action: unknown wait action "wait:untill" (known: wait:approval, wait:callback, wait:until, wait:pull-request)';

const processingError = (message: string, where: { line: number; field: string }): EntityStatusItem => ({
  type: 'backstage.io/catalog-processing',
  level: 'error',
  message: `InputError: ${message} (${FILE}:${where.line}, ${where.field})`,
  error: { name: 'InputError', message, file: FILE, ...where, kind: 'validation' },
});

const template = (action: string, items: EntityStatusItem[]): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'pause', namespace: 'default', uid: 'u1', etag: `e-${action}`, annotations: { 'backstage.io/managed-by-location': `file:${FILE}` } },
  spec: {
    type: 'service',
    steps: [
      { id: 'hello', action: 'debug:log', input: { message: 'hi' } },
      { id: 'pause', action, input: { duration: 1 } },
    ],
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/platform-team' }],
  status: { items },
});

/**
 * The network as the page sees it. POST /api/catalog/validate-entity answers as the catalog's
 * route does with the scaffolder's check installed: 400 with Backstage's `{ errors }` for a
 * Template with an unknown wait action, an empty 200 otherwise; or `denied` (403) for a caller
 * the policy does not let validate.
 */
function fakeCatalog(options: { denied?: boolean } = {}) {
  const sent: Array<{ entity: Entity; location: string }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    if (url === '/api/catalog/validate-entity' && init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { entity: Entity; location: string };
      sent.push(body);
      if (options.denied) {
        return new Response(JSON.stringify({ error: { name: 'NotAllowedError', message: 'not allowed' } }), {
          status: 403,
          headers: { 'content-type': 'application/json' },
        });
      }
      const steps = (body.entity.spec?.['steps'] ?? []) as Array<{ id: string; action: string }>;
      const errors = steps.flatMap((s, i) =>
        s.action.startsWith('wait:') && s.action !== 'wait:until'
          ? [{ name: 'InputError', message: waitMessage.replace('"wait:untill"', JSON.stringify(s.action)), field: `spec.steps[${i}].action` }]
          : [],
      );
      if (errors.length === 0) return new Response(null, { status: 200 });
      return new Response(JSON.stringify({ errors }), { status: 400, headers: { 'content-type': 'application/json' } });
    }
    return new Response('{}', { status: 404, headers: { 'content-type': 'application/json' } });
  });
  return sent;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

async function renderBanner(entity: Entity) {
  rendered = await renderForTest(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <EntityStatusBanner entity={entity} onDelete={() => {}} />
    </QueryClientProvider>,
  );
  return rendered.container;
}

const alertText = (container: HTMLElement) => container.querySelector('[role="alert"]')?.textContent ?? '';

describe('EntityStatusBanner: processing errors', () => {
  it('says a flagged template is stored and shown, lists each problem at its line and field, and that it cannot be run', async () => {
    const sent = fakeCatalog();
    const container = await renderBanner(template('wait:untill', [processingError(waitMessage, { line: 21, field: 'spec.steps[1].action' })]));
    await waitFor(() => expect(alertText(container)).toContain('This template has a problem and cannot be run'));
    const text = alertText(container);
    expect(text).toContain('This version is stored in the catalog and shown here as it is');
    expect(text).toContain('cannot be run until the file is fixed');
    expect(text).toContain(`${FILE}:21`);
    expect(text).toContain('field spec.steps[1].action');
    expect(text).toContain(waitMessage);
    expect(text).not.toContain('out of date');
    // The catalog was asked about the version shown, as a descriptor, at its own location.
    expect(sent).toHaveLength(1);
    const [asked] = sent;
    expect(asked?.location).toBe(`file:${FILE}`);
    expect(asked?.entity).not.toHaveProperty('status');
    expect(asked?.entity).not.toHaveProperty('relations');
    expect(asked?.entity.metadata).not.toHaveProperty('uid');
    expect(asked?.entity.spec).toEqual(template('wait:untill', []).spec);
  });

  it('says the newest definition was refused when the version shown passes the checks', async () => {
    fakeCatalog();
    // A newer file gave spec.type a bad value; the stored (shown) version is the good one before it.
    const container = await renderBanner(template('wait:until', [processingError('spec.type must be a non-empty string', { line: 8, field: 'spec.type' })]));
    await waitFor(() => expect(alertText(container)).toContain('The newest definition was refused'));
    expect(alertText(container)).toContain('the version shown is the last one it accepted');
    expect(alertText(container)).toContain(`${FILE}:8`);
    expect(alertText(container)).not.toContain('cannot be run');
  });

  it('reports the errors without claiming either case when the catalog may not be asked', async () => {
    const sent = fakeCatalog({ denied: true });
    const container = await renderBanner(template('wait:untill', [processingError(waitMessage, { line: 21, field: 'spec.steps[1].action' })]));
    await waitFor(() => expect(sent).toHaveLength(1));
    await waitFor(() => expect(alertText(container)).toContain('Processing error'));
    expect(alertText(container)).toContain('The catalog reported a problem');
    expect(alertText(container)).toContain(`${FILE}:21`);
    expect(alertText(container)).not.toContain('cannot be run');
    expect(alertText(container)).not.toContain('refused');
  });

  it('asks nothing and shows nothing for an entity without processing errors', async () => {
    const sent = fakeCatalog();
    const container = await renderBanner(template('wait:until', []));
    expect(container.innerHTML).toBe('');
    expect(sent).toHaveLength(0);
  });
});
