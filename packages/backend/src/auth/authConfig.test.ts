import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import { loadConfig } from '../config/loadConfig.js';
import { createBackend } from '../host/createBackend.js';
import { createLogger } from '../host/createLogger.js';
import { StartupError } from '../host/StartupError.js';
import { backendConfigSchema } from '../config/backendConfigSchema.js';
import { validateConfig } from '../config/validateConfig.js';
import { checkAuthConfig, checkGuestInProduction, readAuthSettings } from './authConfig.js';
import { readSignInProviderSpecs } from './signIn/signInProviders.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const config = (data: Record<string, unknown>) => ConfigBundle.fromObject(data, '/srv', 'app-config.yaml');
const production = { NODE_ENV: 'production' };

describe('auth settings', () => {
  it('keep guest sign-in on when nothing is configured, and off only when it is turned off', () => {
    expect(readAuthSettings(config({})).guestEnabled).toBe(true);
    expect(readAuthSettings(config({ auth: { providers: { guest: {} } } })).guestEnabled).toBe(true);
    expect(readAuthSettings(config({ auth: { providers: { guest: { enabled: false } } } })).guestEnabled).toBe(false);
  });

  it('read the session lifetimes and mark cookies Secure behind an https baseUrl', () => {
    const s = readAuthSettings(config({ backend: { baseUrl: 'https://portal.example.com' }, auth: { session: { idleMinutes: 30, maxHours: 12 } } }));
    expect(s).toMatchObject({ idleMs: 30 * 60_000, maxMs: 12 * 3600_000, secureCookies: true });
    expect(readAuthSettings(config({ backend: { baseUrl: 'http://localhost:7007' } })).secureCookies).toBe(false);
  });

  it('refuse a production start with guest on, naming auth.allowGuestInProduction', () => {
    const on = config({ auth: { providers: { guest: {} } } });
    expect(() => checkGuestInProduction(on, readAuthSettings(on), production)).toThrow(StartupError);
    expect(() => checkGuestInProduction(on, readAuthSettings(on), production)).toThrow(/auth\.allowGuestInProduction: true/);
    // Not production, explicitly allowed, or guest off: fine.
    expect(() => checkGuestInProduction(on, readAuthSettings(on), {})).not.toThrow();
    const allowed = config({ auth: { allowGuestInProduction: true, providers: { guest: {} } } });
    expect(() => checkGuestInProduction(allowed, readAuthSettings(allowed), production)).not.toThrow();
    const off = config({ auth: { providers: { guest: { enabled: false } } } });
    expect(() => checkGuestInProduction(off, readAuthSettings(off), production)).not.toThrow();
  });

  it('the shipped files: guest on in app-config.yaml, off with app-config.production.yaml', () => {
    const env = { POSTGRES_HOST: 'db', POSTGRES_USER: 'atrium', POSTGRES_PASSWORD: 'secret' };
    const laptop = loadConfig({ rootDir: repoRoot, configFiles: [], env, cwd: repoRoot });
    expect(readAuthSettings(laptop).guestEnabled).toBe(true);
    const prod = loadConfig({ rootDir: repoRoot, configFiles: [path.join(repoRoot, 'app-config.production.yaml')], env, cwd: repoRoot });
    expect(readAuthSettings(prod).guestEnabled).toBe(false);
    expect(() => checkGuestInProduction(prod, readAuthSettings(prod), production)).not.toThrow();
    expect(() => checkGuestInProduction(laptop, readAuthSettings(laptop), production)).toThrow(/auth\.providers\.guest/);
  });
});

describe('a production start', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('with guest on stops createBackend before anything opens, naming the key', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const cfg = ConfigBundle.fromObject(
      { backend: { database: { client: 'pglite', connection: ':memory:' } }, auth: { providers: { guest: {} } } },
      '/srv',
      'site.yaml',
    );
    await expect(createBackend({ config: cfg, plugins: [], logger: createLogger('silent'), appDistDir: null })).rejects.toThrow(
      /site\.yaml: auth\.providers\.guest.*auth\.allowGuestInProduction: true/,
    );
  });
});

describe('a Backstage auth section', () => {
  it('is accepted: Backstage-only keys ignored with a warning; an unknown provider id stops the start naming the key', () => {
    const cfg = config({
      auth: {
        environment: 'development',
        session: { secret: 'x' },
        keyStore: { provider: 'database' },
        providers: { guest: {}, microsoft: { development: { clientId: 'a', clientSecret: 'b' } } },
      },
    });
    const warnings = validateConfig(cfg, [{ key: '', schema: backendConfigSchema, whole: true }], { knownSections: ['app', 'backend', 'auth'] });
    expect(warnings).toEqual([expect.stringContaining('auth.keyStore is ignored')]);
    expect(() => checkAuthConfig(cfg, { warn: () => undefined } as never, {})).toThrow(
      /app-config\.yaml: auth\.providers\.microsoft: Atrium has no sign-in provider "microsoft"/,
    );
  });

  it('an OIDC provider without a section for auth.environment, or with a bad one, stops the start naming the key', () => {
    const missing = config({
      auth: { environment: 'production', providers: { oidc: { development: { clientId: 'a', clientSecret: 'b', metadataUrl: 'https://idp.example/' } } } },
    });
    expect(() => checkAuthConfig(missing, { warn: () => undefined } as never, {})).toThrow(/app-config\.yaml: auth\.providers\.oidc\.production is missing/);
    const bad = config({ auth: { providers: { oidc: { development: { clientId: 'a', metadataUrl: 'https://idp.example/' } } } } });
    expect(() => checkAuthConfig(bad, { warn: () => undefined } as never, {})).toThrow(/auth\.providers\.oidc\.development\.clientSecret is required/);
    const badResolver = config({
      auth: {
        providers: {
          oidc: { development: { clientId: 'a', clientSecret: 'b', metadataUrl: 'https://idp.example/', signIn: { resolvers: [{ resolver: 'byMagic' }] } } },
        },
      },
    });
    expect(() => checkAuthConfig(badResolver, { warn: () => undefined } as never, {})).toThrow(
      /auth\.providers\.oidc\.development\.signIn\.resolvers: unknown resolver byMagic/,
    );
  });

  it('SAML in Backstage’s flat form (no environment level) is accepted as is, as is the per-environment form', () => {
    const saml = { entryPoint: 'https://idp.example.com/sso', issuer: 'atrium-sp', cert: 'MIIBfake' };
    const resolvers = [{ resolver: 'emailLocalPartMatchingUserEntityName' }];
    const flat = config({ auth: { environment: 'production', providers: { saml: { ...saml, title: 'Corporate SSO', signIn: { resolvers } } } } });
    expect(() => checkAuthConfig(flat, { warn: () => undefined } as never, {})).not.toThrow();
    const [fromFlat] = readSignInProviderSpecs(flat);
    expect(fromFlat).toMatchObject({
      id: 'saml',
      kind: 'saml',
      title: 'Corporate SSO',
      config: saml,
      resolvers,
      configPath: '/srv/app-config.yaml: auth.providers.saml',
    });
    const nested = config({ auth: { environment: 'production', providers: { saml: { production: { ...saml, signIn: { resolvers } } } } } });
    const [fromNested] = readSignInProviderSpecs(nested);
    expect(fromNested).toMatchObject({ id: 'saml', config: saml, resolvers, configPath: '/srv/app-config.yaml: auth.providers.saml.production' });
    // A bad flat key is named where it is.
    const bad = config({ auth: { providers: { saml: { ...saml, entryPoint: 'not a url' } } } });
    expect(() => readSignInProviderSpecs(bad)).toThrow(/app-config\.yaml: auth\.providers\.saml\.entryPoint must match format "uri"/);
    // Only kinds Backstage configures flat: a flat OIDC section is still missing its environment.
    const flatOidc = config({ auth: { providers: { oidc: { clientId: 'a', clientSecret: 'b', metadataUrl: 'https://idp.example/' } } } });
    expect(() => readSignInProviderSpecs(flatOidc)).toThrow(/auth\.providers\.oidc\.development is missing/);
  });

  it('with an unknown key or a bad lifetime stops the start naming it', () => {
    const bad = config({ auth: { session: { idleMinutes: 0 }, guest: {} } });
    const run = () => validateConfig(bad, [{ key: '', schema: backendConfigSchema, whole: true }], { knownSections: ['app', 'backend', 'auth'] });
    expect(run).toThrow(/app-config\.yaml: auth\.session\.idleMinutes must be >= 1/);
    expect(run).toThrow(/app-config\.yaml: auth\.guest is not a known key/);
  });
});
