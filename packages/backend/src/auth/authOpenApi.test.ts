import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { mergeOpenApi } from '../http/openapi.js';
import { ATRIUM_VERSION } from '../host/version.js';
import { defaultPlugins } from '../plugins.js';
import { authOpenApi } from './authOpenApi.js';

describe('the /api/auth routes in the merged OpenAPI document', () => {
  it('are listed under /api/auth and the document still passes OpenAPI 3.0.3 validation', async () => {
    const document = mergeOpenApi(defaultPlugins, ATRIUM_VERSION, [{ mount: '/api/auth', fragment: authOpenApi }]);
    const paths = Object.keys(document['paths'] as Record<string, unknown>).filter((p) => p.startsWith('/api/auth/'));
    expect(paths.sort()).toEqual(
      expect.arrayContaining([
        '/api/auth/logout',
        '/api/auth/me',
        '/api/auth/providers',
        '/api/auth/sessions',
        '/api/auth/sessions/{id}',
        '/api/auth/tokens',
        '/api/auth/tokens/{id}',
        '/api/auth/{provider}/handler/frame',
        '/api/auth/{provider}/start',
        '/api/auth/scim/v2/ServiceProviderConfig',
        '/api/auth/scim/v2/Users',
        '/api/auth/scim/v2/Users/{id}',
        '/api/auth/scim/v2/Groups',
        '/api/auth/scim/v2/Groups/{id}',
      ]),
    );
    // SCIM writes take If-Match and say 412; every SCIM route names its permission.
    const users = (
      document['paths'] as Record<
        string,
        Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; 'x-atrium-permission'?: unknown }>
      >
    )['/api/auth/scim/v2/Users/{id}']!;
    for (const method of ['put', 'patch', 'delete']) {
      expect(users[method]!.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header' }));
      expect(Object.keys(users[method]!.responses)).toContain('412');
    }
    expect(users['get']!['x-atrium-permission']).toBe('auth.scim');
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
