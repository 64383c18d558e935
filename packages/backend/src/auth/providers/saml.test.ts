import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSamlIdp, type FakeSamlIdp } from '@atrium/test-utils';
import { createLogger } from '../../host/createLogger.js';
import { createSamlProviderFactory } from './saml.js';
import { createMemoryAssertionStore } from './samlAssertionStore.js';
import type { SignInProviderHandler, SignInTransaction } from './types.js';

// The handler driven through the provider seam against a local SAML IdP that signs with its own
// generated key (real XML signatures, real HTTP for the redirect binding).
const CALLBACK = 'http://localhost:7007/api/auth/saml/handler/frame';
const SP_ENTITY_ID = 'http://localhost:7007/atrium-sp';
let idp: FakeSamlIdp;

beforeAll(async () => {
  idp = await startFakeSamlIdp({
    users: [{ nameId: 'ada@example.com', email: 'ada@example.com', displayName: 'Ada Lovelace', uid: 'ada' }],
  });
});
afterAll(() => idp.stop());

async function handlerFor(config: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Promise<SignInProviderHandler> {
  return createSamlProviderFactory({ assertionStore: createMemoryAssertionStore(), env }).create({
    id: 'saml',
    config: { entryPoint: idp.ssoUrl, issuer: SP_ENTITY_ID, cert: idp.cert, ...config },
    configPath: 'test-config.yaml: auth.providers.saml.development',
    callbackUrl: CALLBACK,
    logger: createLogger('silent'),
  });
}

/** The IdP's form POST as Express hands it over after `express.urlencoded` (only `body` is read). */
const post = (fields: Record<string, string>) => ({ method: 'POST', body: fields, query: {}, headers: {} }) as unknown as Request;

async function started(handler: SignInProviderHandler, state = 'st-1'): Promise<{ redirectUrl: string; transaction: SignInTransaction }> {
  const { redirectUrl, transaction } = await handler.start({ state, req: {} as Request });
  return { redirectUrl, transaction: transaction ?? {} };
}

const ada = () => ({ nameId: 'ada@example.com', email: 'ada@example.com', displayName: 'Ada Lovelace', uid: 'ada' });

describe('SAML sign-in', () => {
  it('sends an AuthnRequest by redirect and accepts the signed answer: NameID, email, name', async () => {
    const handler = await handlerFor();
    const { redirectUrl, transaction } = await started(handler, 'st-good');
    expect(redirectUrl.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);
    const form = await idp.login(redirectUrl);
    expect(form.action).toBe(CALLBACK);
    expect(form.fields.RelayState).toBe('st-good');
    // The request the IdP saw carries our entity id and ACS URL; its ID is what the transaction kept.
    expect(idp.requests.at(-1)).toEqual({ id: transaction['samlRequestId'], issuer: SP_ENTITY_ID, acsUrl: CALLBACK });
    const profile = await handler.handleCallback({ req: post(form.fields), transaction });
    expect(profile).toMatchObject({
      subject: 'ada@example.com',
      nameId: 'ada@example.com',
      email: 'ada@example.com',
      emailVerified: true,
      username: 'ada',
      displayName: 'Ada Lovelace',
    });
    expect(profile.claims['issuer']).toBe(idp.entityId);
  });

  it('accepts an answer from the configured idpIssuer', async () => {
    const handler = await handlerFor({ idpIssuer: idp.entityId });
    const { transaction } = await started(handler);
    const SAMLResponse = idp.buildResponse({ user: ada(), inResponseTo: transaction['samlRequestId'], audience: SP_ENTITY_ID, acsUrl: CALLBACK });
    await expect(handler.handleCallback({ req: post({ SAMLResponse }), transaction })).resolves.toMatchObject({ subject: 'ada@example.com' });
  });

  it('accepts either certificate of a list (an IdP key rollover)', async () => {
    const next = await idp.newKey();
    const handler = await handlerFor({ cert: [idp.cert, next.cert] });
    const { transaction } = await started(handler);
    const SAMLResponse = idp.buildResponse({
      user: ada(),
      inResponseTo: transaction['samlRequestId'],
      audience: SP_ENTITY_ID,
      acsUrl: CALLBACK,
      signingKey: next,
    });
    await expect(handler.handleCallback({ req: post({ SAMLResponse }), transaction })).resolves.toMatchObject({ subject: 'ada@example.com' });
  });

  it('accepts a response signed as a whole as well as in its assertion', async () => {
    const handler = await handlerFor({ wantAuthnResponseSigned: true });
    const { transaction } = await started(handler);
    const SAMLResponse = idp.buildResponse({ user: ada(), inResponseTo: transaction['samlRequestId'], audience: SP_ENTITY_ID, acsUrl: CALLBACK, sign: 'both' });
    await expect(handler.handleCallback({ req: post({ SAMLResponse }), transaction })).resolves.toMatchObject({ subject: 'ada@example.com' });
  });

  describe('refuses', () => {
    async function refused(build: (requestId: string) => string | Promise<string>, message: RegExp, config: Record<string, unknown> = {}) {
      const handler = await handlerFor(config);
      const { transaction } = await started(handler);
      const SAMLResponse = await build(transaction['samlRequestId']!);
      await expect(handler.handleCallback({ req: post({ SAMLResponse, RelayState: 'st-1' }), transaction })).rejects.toMatchObject({
        statusCode: 401,
        message: expect.stringMatching(message) as unknown as string,
      });
    }
    const good = (inResponseTo: string) => ({ user: ada(), inResponseTo, audience: SP_ENTITY_ID, acsUrl: CALLBACK });

    it('an unsigned response', () => refused((id) => idp.buildResponse({ ...good(id), sign: 'none' }), /refused: Invalid signature/));

    it('a response signed only as a whole (the assertion must be signed)', () =>
      refused((id) => idp.buildResponse({ ...good(id), sign: 'response' }), /Invalid signature/));

    it('a response signed by another key', async () => {
      const other = await idp.newKey();
      await refused((id) => idp.buildResponse({ ...good(id), signingKey: other }), /Invalid signature/);
    });

    it('an assertion for another audience', () => refused((id) => idp.buildResponse({ ...good(id), audience: 'https://other-sp.example.com' }), /audience/i));

    it('an assertion for another recipient', () =>
      refused((id) => idp.buildResponse({ ...good(id), acsUrl: 'https://other-sp.example.com/acs' }), /recipient|subject confirmation/i));

    it('an expired assertion', () =>
      refused((id) => idp.buildResponse({ ...good(id), issuedAt: new Date(Date.now() - 3600_000) }), /expired|subject confirmation/i));

    it('an answer to another request, and an unsolicited one', async () => {
      await refused(() => idp.buildResponse(good('_someOtherRequest')), /InResponseTo/);
      await refused(() => idp.buildResponse({ ...good('x'), inResponseTo: undefined }), /InResponseTo/);
    });

    it('XML signature wrapping: a second, unsigned assertion injected next to the signed one', () =>
      refused((id) => {
        const xml = Buffer.from(idp.buildResponse(good(id)), 'base64').toString('utf8');
        const evil = xml
          .match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0]
          .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
          .replace(/ID="[^"]+"/, 'ID="_evil"')
          .replaceAll('ada@example.com', 'admin@example.com');
        return Buffer.from(xml.replace('</samlp:Response>', `${evil}</samlp:Response>`)).toString('base64');
      }, /multiple assertions|Invalid signature/));

    it('XML signature wrapping: the signed assertion moved aside, a forged one in its place', () =>
      refused((id) => {
        const xml = Buffer.from(idp.buildResponse(good(id)), 'base64').toString('utf8');
        const signed = xml.match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0];
        // The forged assertion keeps the original's ID and signature; the original hides in Extensions.
        const forged = signed.replaceAll('ada@example.com', 'admin@example.com');
        const wrapped = xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${forged}`);
        return Buffer.from(wrapped).toString('base64');
      }, /Invalid signature|multiple/));

    it('a replayed assertion, even inside a new sign-in', async () => {
      const handler = await handlerFor();
      const first = await started(handler, 'st-a');
      const form = await idp.login(first.redirectUrl);
      await handler.handleCallback({ req: post(form.fields), transaction: first.transaction });
      // Same POST again with the same transaction (as if the auth module let it through twice).
      await expect(handler.handleCallback({ req: post(form.fields), transaction: first.transaction })).rejects.toThrow(/already used/);
      // An assertion with a reused ID answering a fresh request.
      const second = await started(handler, 'st-b');
      const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(Buffer.from(form.fields.SAMLResponse, 'base64').toString('utf8'))![1]!;
      const again = idp.buildResponse({ ...good(second.transaction['samlRequestId']!), assertionId });
      await expect(handler.handleCallback({ req: post({ SAMLResponse: again }), transaction: second.transaction })).rejects.toThrow(/already used/);
    });

    it('an answer from another issuer when idpIssuer is set', () =>
      refused((id) => idp.buildResponse(good(id)), /issued by .* not https:\/\/the-real-idp\.example\.com/, { idpIssuer: 'https://the-real-idp.example.com' }));

    it('a callback without SAMLResponse', async () => {
      const handler = await handlerFor();
      const { transaction } = await started(handler);
      await expect(handler.handleCallback({ req: post({ RelayState: 'st-1' }), transaction })).rejects.toThrow(/no SAMLResponse/);
    });
  });

  it('refuses wantAssertionsSigned: false in production, naming the key', async () => {
    await expect(handlerFor({ wantAssertionsSigned: false }, { NODE_ENV: 'production' })).rejects.toThrow(
      /auth\.providers\.saml\.development\.wantAssertionsSigned/,
    );
    await expect(handlerFor({ wantAssertionsSigned: false }, { NODE_ENV: 'development' })).resolves.toBeDefined();
  });

  it('serves SP metadata naming the entity id and the POST-binding ACS URL', async () => {
    const handler = await handlerFor();
    const { contentType, body } = await handler.extraRoutes!['metadata']!({} as Request);
    expect(contentType).toBe('application/samlmetadata+xml');
    expect(body).toContain(`entityID="${SP_ENTITY_ID}"`);
    expect(body).toMatch(new RegExp(`AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="${CALLBACK}"`));
  });
});
