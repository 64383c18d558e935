import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

/**
 * A SAML 2.0 identity provider for tests: a generated RSA key and self-signed certificate, an
 * SSO endpoint for the HTTP-Redirect binding that answers at once (no login form) with an
 * auto-posting HTML form carrying a signed `SAMLResponse` (HTTP-POST binding), and
 * `buildResponse` to make any response a test needs — good, unsigned, for another audience,
 * expired, signed by another key — signed with `xml-crypto` (RSA-SHA256, exclusive c14n).
 */
export interface FakeSamlUser {
  nameId: string;
  /** Default: urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress. */
  nameIdFormat?: string;
  email?: string;
  displayName?: string;
  uid?: string;
  /** More attributes (name → values). */
  attributes?: Record<string, string | string[]>;
}

export interface FakeSamlKey {
  privateKey: string;
  cert: string;
}

export interface SamlResponseOptions {
  user: FakeSamlUser;
  /** The AuthnRequest's ID (Response and SubjectConfirmationData `InResponseTo`); none for an IdP-initiated answer. */
  inResponseTo?: string;
  /** The SP's entity id (`Audience`). */
  audience: string;
  /** The SP's assertion consumer service URL (`Recipient`, `Destination`). */
  acsUrl: string;
  /** Issue time (default now); the assertion is valid from 1 minute before to `lifetimeMs` after. */
  issuedAt?: Date;
  lifetimeMs?: number;
  /** What to sign: the assertion (default), the response, both, or nothing. */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** Sign with this key instead of the IdP's own. */
  signingKey?: FakeSamlKey;
  assertionId?: string;
}

export interface FakeSamlIdp {
  /** Base URL; the SSO endpoint is `ssoUrl`. */
  url: string;
  ssoUrl: string;
  entityId: string;
  /** The IdP's signing certificate (PEM): the SP's `cert`. */
  cert: string;
  key: FakeSamlKey;
  /** Who the SSO endpoint signs in as. */
  signInAs(nameId: string): void;
  addUser(user: FakeSamlUser): void;
  /** The SP's entity id the SSO endpoint puts in `Audience` (default: the AuthnRequest's Issuer). */
  setAudience(audience: string | undefined): void;
  /** A signed (by default) SAMLResponse, base64 as the POST binding carries it. */
  buildResponse(options: SamlResponseOptions): string;
  /** A fresh key pair and certificate (an attacker's, or the IdP's next one). */
  newKey(): Promise<FakeSamlKey>;
  /**
   * What a browser does at the SP's redirect: GET the SSO URL, read the auto-posting form.
   * Returns the form's action and fields, to POST to the SP.
   */
  login(redirectUrl: string): Promise<{ action: string; fields: { SAMLResponse: string; RelayState?: string } }>;
  /** The AuthnRequests received, decoded (ID, Issuer, AssertionConsumerServiceURL). */
  requests: Array<{ id: string; issuer: string; acsUrl: string }>;
  stop(): Promise<void>;
}

const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

export async function newSamlKey(commonName = 'fake-saml-idp'): Promise<FakeSamlKey> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256' });
  return { privateKey: pems.private, cert: pems.cert };
}

export async function startFakeSamlIdp(options: { port?: number; entityId?: string; users?: FakeSamlUser[] } = {}): Promise<FakeSamlIdp> {
  const key = await newSamlKey();
  const users = new Map<string, FakeSamlUser>();
  for (const u of options.users ?? []) users.set(u.nameId, u);
  let current = options.users?.[0]?.nameId;
  let audienceOverride: string | undefined;
  const requests: FakeSamlIdp['requests'] = [];
  let baseUrl = '';
  let entityId = options.entityId ?? '';

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`fake SAML IdP: ${(e as Error).message}`);
    }
  });

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', baseUrl);
    if (req.method !== 'GET' || url.pathname !== '/sso') {
      res.writeHead(404);
      res.end();
      return;
    }
    const samlRequest = url.searchParams.get('SAMLRequest');
    if (!samlRequest) throw new Error('no SAMLRequest');
    const xml = zlib.inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const root = doc.documentElement;
    if (!root || root.localName !== 'AuthnRequest') throw new Error('not an AuthnRequest');
    const issuer = root.getElementsByTagNameNS(NS_ASSERTION, 'Issuer')[0]?.textContent ?? '';
    const request = { id: root.getAttribute('ID') ?? '', issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL') ?? '' };
    requests.push(request);
    const user = current ? users.get(current) : undefined;
    if (!user) throw new Error('no user to sign in as');
    const response = buildResponse({ user, inResponseTo: request.id, audience: audienceOverride ?? request.issuer, acsUrl: request.acsUrl });
    const relayState = url.searchParams.get('RelayState');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(request.acsUrl)}">` +
        `<input type="hidden" name="SAMLResponse" value="${esc(response)}">` +
        (relayState !== null ? `<input type="hidden" name="RelayState" value="${esc(relayState)}">` : '') +
        '<noscript><button type="submit">Continue</button></noscript></form></body></html>',
    );
  }

  function buildResponse(o: SamlResponseOptions): string {
    const issued = o.issuedAt ?? new Date();
    const lifetime = o.lifetimeMs ?? 5 * 60_000;
    const notBefore = new Date(issued.getTime() - 60_000).toISOString();
    const notOnOrAfter = new Date(issued.getTime() + lifetime).toISOString();
    const assertionId = o.assertionId ?? `_a${crypto.randomBytes(16).toString('hex')}`;
    const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
    const u = o.user;
    const attributes: Record<string, string[]> = {};
    const add = (name: string, v: string | string[] | undefined) => {
      if (v !== undefined) attributes[name] = Array.isArray(v) ? v : [v];
    };
    add('email', u.email);
    add('displayName', u.displayName);
    add('uid', u.uid);
    for (const [k, v] of Object.entries(u.attributes ?? {})) add(k, v);
    const attributeXml = Object.entries(attributes)
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
          values
            .map(
              (v) =>
                `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`,
            )
            .join('') +
          '</saml:Attribute>',
      )
      .join('');
    const assertion =
      `<saml:Assertion xmlns:saml="${NS_ASSERTION}" ID="${assertionId}" Version="2.0" IssueInstant="${issued.toISOString()}">` +
      `<saml:Issuer>${esc(entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${esc(u.nameIdFormat ?? EMAIL_FORMAT)}">${esc(u.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${notOnOrAfter}" Recipient="${esc(o.acsUrl)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}">` +
      `<saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${issued.toISOString()}" SessionIndex="${assertionId}">` +
      `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
      `</saml:AuthnStatement>` +
      (attributeXml ? `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>` : '') +
      `</saml:Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="_r${crypto.randomBytes(16).toString('hex')}" Version="2.0" ` +
      `IssueInstant="${issued.toISOString()}" Destination="${esc(o.acsUrl)}"${inResponseTo}>` +
      `<saml:Issuer>${esc(entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    const signer = o.signingKey ?? key;
    const sign = o.sign ?? 'assertion';
    if (sign === 'assertion' || sign === 'both') xml = signXml(xml, "//*[local-name(.)='Assertion']", signer);
    if (sign === 'response' || sign === 'both') xml = signXml(xml, "/*[local-name(.)='Response']", signer);
    return Buffer.from(xml, 'utf8').toString('base64');
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  entityId ||= `${baseUrl}/metadata`;

  return {
    url: baseUrl,
    ssoUrl: `${baseUrl}/sso`,
    entityId,
    cert: key.cert,
    key,
    requests,
    signInAs(nameId) {
      current = nameId;
    },
    addUser(user) {
      users.set(user.nameId, user);
    },
    setAudience(audience) {
      audienceOverride = audience;
    },
    buildResponse,
    newKey: () => newSamlKey('another-idp'),
    async login(redirectUrl) {
      const res = await fetch(redirectUrl);
      const html = await res.text();
      if (res.status !== 200) throw new Error(`fake SAML IdP answered ${res.status}: ${html}`);
      const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
      const samlResponse = field('SAMLResponse');
      if (!action || !samlResponse) throw new Error('fake SAML IdP: no form in the answer');
      const relayState = field('RelayState');
      return { action: unesc(action), fields: { SAMLResponse: unesc(samlResponse), ...(relayState !== undefined ? { RelayState: unesc(relayState) } : {}) } };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Signs the element `xpath` selects (enveloped signature placed right after its Issuer, as the schema orders it). */
function signXml(xml: string, xpath: string, key: FakeSamlKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unesc(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
