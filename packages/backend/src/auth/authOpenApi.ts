import type { OpenApiFragment } from '@atrium/backend-plugin-api';
import { createTokenBody } from './authRoutes.js';
import { scimErrorSchema, scimOpenApiPaths } from './scim/scimOpenApi.js';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, schema: Record<string, unknown>) => ({ description, content: { 'application/json': { schema } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const tags = ['auth'];
const providerParam = { name: 'provider', in: 'path', required: true, schema: { type: 'string' }, description: 'The key under auth.providers' };
const frameResponses = {
  '302': { description: 'Signed in: Set-Cookie atrium_session, to returnTo' },
  '401': error('Unknown, used or expired state; the provider refused or sent a bad ID token; or no catalog User matches (a page for browsers)'),
  '429': error('Too many sign-in attempts from this address'),
};
const unauthenticated = { '401': error('No session or token (guest sign-in off), or the token is unknown, expired or revoked') };

const caller = {
  type: 'object',
  required: ['type', 'userEntityRef', 'ownershipEntityRefs', 'displayName'],
  properties: {
    type: { enum: ['guest', 'user', 'service'] },
    userEntityRef: { type: 'string' },
    ownershipEntityRefs: { type: 'array', items: { type: 'string' } },
    displayName: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    via: { enum: ['session', 'token', 'guest'] },
  },
};
const session = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    userEntityRef: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastSeenAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    userAgent: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    current: { type: 'boolean' },
  },
};
const token = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    kind: { enum: ['personal', 'service'] },
    ownerRef: { type: 'string' },
    createdBy: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** The host's `/api/auth` routes (paths relative to the mount), for the merged OpenAPI document. */
export const authOpenApi: OpenApiFragment = {
  tags: [
    { name: 'auth', description: 'Who is calling, sessions and API tokens (docs/authentication.md)' },
    { name: 'scim', description: 'SCIM 2.0 provisioning of Users and Groups by an identity provider (docs/authentication.md#provisioning-with-scim)' },
  ],
  components: { schemas: { ScimError: scimErrorSchema } },
  paths: {
    ...scimOpenApiPaths,
    '/me': { get: { summary: 'The caller and how it was identified', tags, responses: { '200': json('The caller', caller), ...unauthenticated } } },
    '/sessions': {
      get: {
        summary: 'My live sessions',
        tags,
        responses: {
          '200': json('Sessions', { type: 'object', properties: { items: { type: 'array', items: session } } }),
          ...unauthenticated,
          '403': error('Not a user'),
        },
      },
      delete: {
        summary: 'Sign out everywhere',
        tags,
        responses: {
          '200': json('How many sessions ended', { type: 'object', properties: { revoked: { type: 'integer' } } }),
          ...unauthenticated,
          '403': error('Not a user'),
        },
      },
    },
    '/sessions/{id}': {
      delete: {
        summary: 'Sign out one of my sessions',
        tags,
        parameters: [idParam],
        responses: { '204': { description: 'Ended' }, '400': error('Not a session id'), ...unauthenticated, '404': error('No such live session of mine') },
      },
    },
    '/logout': {
      post: {
        summary: "End this cookie's session and clear the cookie",
        tags,
        responses: { '204': { description: 'Signed out (also when there was no session)' } },
      },
    },
    '/tokens': {
      get: {
        summary: "My API tokens and my groups' service tokens (never their secrets)",
        tags,
        responses: { '200': json('Tokens', { type: 'object', properties: { items: { type: 'array', items: token } } }), ...unauthenticated },
      },
      post: {
        summary: 'Create an API token; the secret is in this answer only',
        tags,
        requestBody: { required: true, content: { 'application/json': { schema: createTokenBody } } },
        responses: {
          '201': json('The token and its secret', {
            type: 'object',
            properties: { token, secret: { type: 'string', pattern: '^atr_' }, note: { type: 'string' } },
          }),
          '400': error('Invalid body'),
          ...unauthenticated,
          '403': error('Outside the caller\u2019s scopes, or not a member of ownerRef'),
        },
      },
    },
    '/providers': {
      get: {
        summary: 'The sign-in page: whether the guest is on, and each configured provider with its start URL',
        tags,
        responses: {
          '200': json('Providers', {
            type: 'object',
            required: ['guest', 'providers'],
            properties: {
              guest: { type: 'boolean' },
              providers: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'title', 'startUrl'],
                  properties: { id: { type: 'string' }, title: { type: 'string' }, startUrl: { type: 'string' } },
                },
              },
            },
          }),
        },
      },
    },
    '/{provider}/start': {
      get: {
        summary: 'Start signing in: redirects the browser to the identity provider',
        tags,
        parameters: [
          providerParam,
          {
            name: 'returnTo',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'A path on this origin to land on afterwards (anything else becomes /)',
          },
        ],
        responses: {
          '302': { description: "To the identity provider's sign-in page" },
          '404': error('No such provider configured'),
          '429': error('Too many sign-in attempts from this address'),
          '502': error('The identity provider could not be reached'),
        },
      },
    },
    '/{provider}/handler/frame': {
      get: {
        summary: "The identity provider's answer (OAuth/OIDC): starts a session and redirects to returnTo",
        tags,
        parameters: [providerParam],
        responses: frameResponses,
      },
      post: { summary: "The identity provider's answer as a form POST (SAML)", tags, parameters: [providerParam], responses: frameResponses },
    },
    '/tokens/{id}': {
      delete: {
        summary: 'Revoke an API token',
        tags,
        parameters: [idParam],
        responses: { '204': { description: 'Revoked' }, '400': error('Not a token id'), ...unauthenticated, '404': error('No such token of mine') },
      },
    },
  },
};
