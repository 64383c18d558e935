import crypto from 'node:crypto';
import type { Request } from 'express';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile, type SamlConfig } from '@node-saml/node-saml';
import { AuthenticationError, type JsonSchema } from '@atrium/backend-plugin-api';
import { createDatabaseAssertionStore, createMemoryAssertionStore, type SamlAssertionStore } from './samlAssertionStore.js';
import type { SignInProfile, SignInProviderContext, SignInProviderFactory, SignInProviderHandler } from './types.js';

/**
 * SAML 2.0 sign-in (SP-initiated, `@node-saml/node-saml`): an AuthnRequest over the
 * HTTP-Redirect binding, the answer POSTed to `/api/auth/<id>/handler/frame`. Required of every
 * answer: a signed assertion (signed by a configured `cert`), our entity id as audience, our
 * callback as recipient, the time window, `InResponseTo` naming the request this sign-in sent
 * (kept in the sign-in transaction), and an assertion ID not used before.
 */

/** Backstage's keys for a SAML provider (per environment in Atrium, like every provider). */
export const samlConfigSchema: JsonSchema = {
  type: 'object',
  required: ['entryPoint', 'issuer', 'cert'],
  properties: {
    /** The IdP's SSO URL (HTTP-Redirect binding). */
    entryPoint: { type: 'string', format: 'uri' },
    logoutUrl: { type: 'string', format: 'uri' },
    /** Our entity id (the SP's), sent as the request's Issuer. */
    issuer: { type: 'string', minLength: 1 },
    /** The IdP's signing certificate(s), PEM or bare base64; several during a key rollover. */
    cert: {
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
    },
    /** The audience the assertions must name (default: `issuer`). */
    audience: { type: 'string', minLength: 1 },
    /** The IdP's entity id; when set, answers from any other issuer are refused. */
    idpIssuer: { type: 'string', minLength: 1 },
    callbackUrl: { type: 'string', format: 'uri' },
    identifierFormat: { type: 'string' },
    authnContext: { type: 'array', items: { type: 'string' } },
    /** Also require a signature over the whole Response (default false: the assertion's is required). */
    wantAuthnResponseSigned: { type: 'boolean' },
    /** Default true; false is refused when NODE_ENV=production. */
    wantAssertionsSigned: { type: 'boolean' },
    signatureAlgorithm: { enum: ['sha256', 'sha512'] },
    digestAlgorithm: { enum: ['sha256', 'sha512'] },
    acceptedClockSkewMs: { type: 'integer', minimum: 0, maximum: 600_000 },
    type: { type: 'string' },
  },
  additionalProperties: false,
};

interface SamlSettings {
  entryPoint: string;
  logoutUrl?: string;
  issuer: string;
  cert: string | string[];
  audience?: string;
  idpIssuer?: string;
  identifierFormat?: string;
  authnContext?: string[];
  wantAuthnResponseSigned?: boolean;
  wantAssertionsSigned?: boolean;
  signatureAlgorithm?: 'sha256' | 'sha512';
  digestAlgorithm?: 'sha256' | 'sha512';
  acceptedClockSkewMs?: number;
}

/** The transaction keys this provider keeps between start and callback. */
const REQUEST_ID = 'samlRequestId';
const REQUEST_AT = 'samlRequestIssuedAt';
/** How long a sign-in may take at the IdP (the auth module's transactions last 10 minutes too). */
const REQUEST_LIFETIME_MS = 10 * 60_000;

export interface SamlProviderOptions {
  /**
   * Where used assertion IDs are kept. Default: the auth schema's `saml_assertions` table when
   * the context has the database (shared by every replica), else this provider's process memory.
   */
  assertionStore?: SamlAssertionStore;
  /** The clock for the replay store (node-saml reads the system clock for its own checks). */
  now?: () => Date;
  /** `process.env` by default: `NODE_ENV=production` refuses `wantAssertionsSigned: false`. */
  env?: NodeJS.ProcessEnv;
}

export function createSamlProviderFactory(options: SamlProviderOptions = {}): SignInProviderFactory {
  const now = options.now ?? (() => new Date());
  return {
    title: 'SAML',
    configSchema: samlConfigSchema,
    // Backstage's SAML keys sit directly under auth.providers.saml.
    flatConfig: true,
    async create(ctx) {
      const store = options.assertionStore ?? (ctx.database ? createDatabaseAssertionStore(ctx.database) : createMemoryAssertionStore());
      return createSamlHandler(ctx, store, now, options.env ?? process.env);
    },
  };
}

export const samlProviderFactory: SignInProviderFactory = createSamlProviderFactory();

function createSamlHandler(ctx: SignInProviderContext, store: SamlAssertionStore, now: () => Date, env: NodeJS.ProcessEnv): SignInProviderHandler {
  const settings = ctx.config as unknown as SamlSettings;
  const where = `SAML sign-in (${ctx.configPath})`;
  if (settings.wantAssertionsSigned === false && env['NODE_ENV'] === 'production') {
    throw new Error(`${ctx.configPath}.wantAssertionsSigned: false is refused in production: anyone could forge an assertion. Remove the key.`);
  }
  const audience = settings.audience ?? settings.issuer;

  /** One node-saml instance per use: its InResponseTo cache is this sign-in's transaction, not process memory. */
  function saml(extra: Partial<SamlConfig>): SAML {
    return new SAML({
      entryPoint: settings.entryPoint,
      issuer: settings.issuer,
      callbackUrl: ctx.callbackUrl,
      idpCert: settings.cert,
      audience,
      ...(settings.idpIssuer ? { idpIssuer: settings.idpIssuer } : {}),
      ...(settings.logoutUrl ? { logoutUrl: settings.logoutUrl } : {}),
      ...(settings.identifierFormat ? { identifierFormat: settings.identifierFormat } : {}),
      ...(settings.authnContext ? { authnContext: settings.authnContext } : {}),
      wantAssertionsSigned: settings.wantAssertionsSigned ?? true,
      wantAuthnResponseSigned: settings.wantAuthnResponseSigned ?? false,
      signatureAlgorithm: settings.signatureAlgorithm ?? 'sha256',
      digestAlgorithm: settings.digestAlgorithm ?? 'sha256',
      acceptedClockSkewMs: settings.acceptedClockSkewMs ?? 0,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
      ...extra,
    });
  }

  return {
    async start({ state }) {
      const id = `_${crypto.randomBytes(20).toString('hex')}`;
      const issuedAt = now().toISOString();
      const redirectUrl = await saml({ generateUniqueId: () => id, cacheProvider: transactionCache() }).getAuthorizeUrlAsync(state, undefined, {});
      return { redirectUrl, transaction: { [REQUEST_ID]: id, [REQUEST_AT]: issuedAt } };
    },

    async handleCallback({ req, transaction }) {
      const samlResponse = formValue(req, 'SAMLResponse');
      if (!samlResponse) throw new AuthenticationError(`${where}: the answer has no SAMLResponse (expected a POSTed form)`);
      const requestId = transaction[REQUEST_ID];
      if (!requestId) throw new AuthenticationError(`${where}: this sign-in has no SAML request id`);
      let profile: Profile | null;
      try {
        const result = await saml({ cacheProvider: transactionCache(requestId, transaction[REQUEST_AT]) }).validatePostResponseAsync({
          SAMLResponse: samlResponse,
        });
        if (result.loggedOut) throw new Error('the answer is a logout response');
        profile = result.profile;
      } catch (e) {
        throw new AuthenticationError(`${where}: the SAML response was refused: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!profile) throw new AuthenticationError(`${where}: the SAML response carries no assertion`);
      if (profile.inResponseTo !== requestId) throw new AuthenticationError(`${where}: the SAML response answers another request`);
      const assertion = signedAssertion(profile);
      // node-saml compares idpIssuer only on logout messages; the signed assertion's Issuer is checked here.
      if (settings.idpIssuer && profile.issuer !== settings.idpIssuer) {
        throw new AuthenticationError(`${where}: the assertion was issued by ${profile.issuer ?? '(no issuer)'}, not ${settings.idpIssuer} (idpIssuer)`);
      }
      checkRecipient(assertion, ctx.callbackUrl, where);
      const assertionId = assertion.$?.['ID'];
      if (!assertionId) throw new AuthenticationError(`${where}: the assertion has no ID`);
      const claimed = await store.claim({
        providerId: ctx.id,
        assertionId,
        expiresAt: expiryOf(assertion, now(), settings.acceptedClockSkewMs ?? 0),
        now: now(),
      });
      if (!claimed) throw new AuthenticationError(`${where}: this assertion (${assertionId}) was already used to sign in`);
      return toProfile(profile);
    },

    extraRoutes: {
      // SP metadata for the IdP's administrator: entity id, ACS URL (POST binding), NameID format.
      async metadata() {
        return { contentType: 'application/samlmetadata+xml', body: saml({}).generateServiceProviderMetadata(null, null) };
      },
    },
  };
}

/**
 * node-saml checks InResponseTo against its cache. Here the cache holds exactly one request id,
 * the one this sign-in's transaction recorded (the auth module stores it server-side and hands it
 * back once), so an answer to any other request — or to none — is refused on every replica.
 */
function transactionCache(requestId?: string, issuedAt?: string): CacheProvider {
  return {
    async saveAsync(_key, value) {
      return { value, createdAt: Date.now() };
    },
    async getAsync(key) {
      return requestId !== undefined && key === requestId ? (issuedAt ?? new Date().toISOString()) : null;
    },
    async removeAsync(key) {
      return key;
    },
  };
}

interface XmlNode {
  $?: Record<string, string>;
  _?: string;
  [child: string]: unknown;
}

/** The assertion node-saml verified (parsed), never the unsigned parts of the document. */
function signedAssertion(profile: Profile): XmlNode {
  const parsed = profile.getAssertion?.() as { Assertion?: XmlNode } | undefined;
  if (!parsed?.Assertion) throw new AuthenticationError('SAML sign-in: the verified assertion cannot be read');
  return parsed.Assertion;
}

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

/** Every bearer SubjectConfirmationData must name our callback as Recipient (SAML Web SSO profile). */
function checkRecipient(assertion: XmlNode, callbackUrl: string, where: string): void {
  const data = children(assertion, 'Subject')
    .flatMap((s) => children(s, 'SubjectConfirmation'))
    .flatMap((c) => children(c, 'SubjectConfirmationData'));
  if (data.length === 0) throw new AuthenticationError(`${where}: the assertion has no SubjectConfirmationData`);
  for (const d of data) {
    const recipient = d.$?.['Recipient'];
    if (recipient !== callbackUrl) {
      throw new AuthenticationError(`${where}: the assertion is for recipient ${recipient ?? '(none)'}, not ${callbackUrl}`);
    }
  }
}

/** Until when the assertion could be accepted: its latest NotOnOrAfter plus the clock skew (1 hour if it names none). */
function expiryOf(assertion: XmlNode, now: Date, skewMs: number): Date {
  const limits = [
    ...children(assertion, 'Conditions').map((c) => c.$?.['NotOnOrAfter']),
    ...children(assertion, 'Subject')
      .flatMap((s) => children(s, 'SubjectConfirmation'))
      .flatMap((c) => children(c, 'SubjectConfirmationData'))
      .map((d) => d.$?.['NotOnOrAfter']),
  ]
    .map((v) => (v ? Date.parse(v) : NaN))
    .filter((t) => Number.isFinite(t));
  const latest = limits.length ? Math.max(...limits) : now.getTime() + 3600_000;
  return new Date(latest + skewMs);
}

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const UNSPECIFIED_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const ATTR = {
  email: ['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'],
  uid: ['uid', 'urn:oid:0.9.2342.19200300.100.1.1', 'username'],
  displayName: ['displayName', 'urn:oid:2.16.840.1.113730.3.1.241', 'http://schemas.microsoft.com/identity/claims/displayname', 'cn', 'name'],
};

/**
 * subject = NameID; email = an email attribute, else the NameID when its format is an email
 * address; username = a uid attribute, else an unspecified-format NameID (never a transient or
 * persistent one, which are opaque).
 */
export function toProfile(profile: Profile): SignInProfile {
  const claims: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) if (typeof v !== 'function') claims[k] = v;
  const first = (names: string[]) => {
    for (const n of names) {
      const v = profile[n];
      const s = Array.isArray(v) ? v[0] : v;
      if (typeof s === 'string' && s) return s;
    }
    return undefined;
  };
  const nameId = profile.nameID;
  if (!nameId) throw new AuthenticationError('SAML sign-in: the assertion has no NameID');
  const format = profile.nameIDFormat;
  const email = first(ATTR.email) ?? (format === EMAIL_FORMAT ? nameId : undefined);
  const username = first(ATTR.uid) ?? (!format || format === UNSPECIFIED_FORMAT ? nameId : undefined);
  const displayName = first(ATTR.displayName);
  return {
    subject: nameId,
    nameId,
    // The IdP signed the assertion and is trusted configuration: its email is vouched for.
    ...(email ? { email, emailVerified: true } : {}),
    ...(username ? { username } : {}),
    ...(displayName ? { displayName } : {}),
    claims,
  };
}

function formValue(req: Request, name: string): string | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
