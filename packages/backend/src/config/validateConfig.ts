import { createAjv, toFieldErrors, type JsonSchema } from '@atrium/backend-plugin-api';
import type { ErrorObject } from 'ajv';
import { StartupError } from '../host/StartupError.js';
import type { ConfigService } from '@atrium/backend-plugin-api';
import { didYouMean } from './didYouMean.js';

const ajv = createAjv({ useDefaults: true });

export interface ConfigSection {
  /** Top-level key, e.g. `backend` or a plugin id. */
  key: string;
  schema: JsonSchema;
  /** Validate the whole document instead of one section. */
  whole?: boolean;
}

export interface ValidateConfigOptions {
  /** Every top-level key something reads: the host's sections and every installed plugin's id. */
  knownSections?: readonly string[];
}

/**
 * Backstage keys Atrium does not use. A Backstage config carried over keeps them; the start goes
 * on with a warning instead of stopping. Anything else unknown stops the start.
 */
export const IGNORED_BACKSTAGE_KEYS: Record<string, string> = {
  organization: 'Atrium has no organization settings',
  integrations: 'Atrium reads public URLs and git remotes directly; credentials per host are not supported yet',
  'auth.keyStore': 'Atrium signs no Backstage tokens',
  'auth.experimentalExtraAllowedOrigins': 'use backend.allowedOrigins',
  'auth.providers.guest.dangerouslyAllowOutsideDevelopment': 'use auth.allowGuestInProduction',
  proxy: 'Atrium has no proxy plugin',
  'permission.enabled': 'Atrium enforces permission.policy when one is configured (see docs/permissions.md)',
  kubernetes: 'Atrium has no Kubernetes plugin',
  search: 'Atrium has its own search, which needs no configuration',
  'app.support': 'Atrium has no support page settings',
  'app.listen': 'the app is served by the backend, on backend.listen',
  'app.googleAnalyticsTrackingId': 'Atrium sends no analytics',
  'app.analytics': 'Atrium sends no analytics',
  'backend.cors': 'the API accepts browser calls only from backend.baseUrl and backend.allowedOrigins',
  'backend.auth': 'service-to-service auth is not configured this way in Atrium',
  'backend.cache': 'Atrium keeps its caches in Postgres and memory',
  'backend.reading.allow': 'Atrium reads any public host; use backend.reading.allowPrivateNetworks for private ones',
  'backend.workingDirectory': 'use backend.dataDir',
  'backend.https': 'terminate TLS in front of Atrium',
};

/** The `properties` of the schema object an ajv `additionalProperties` error came from. */
function knownPropertiesAt(schema: JsonSchema, error: ErrorObject): string[] {
  const pointer = error.schemaPath.replace(/^#/, '').replace(/\/additionalProperties$/, '');
  let node: unknown = schema;
  for (const raw of pointer.split('/').filter(Boolean)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return [];
    node = (node as Record<string, unknown>)[part];
  }
  const props = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function unknownKeyMessage(keyPath: string, candidates: string[]): string {
  const cut = keyPath.lastIndexOf('.');
  const parent = cut >= 0 ? keyPath.slice(0, cut + 1) : '';
  const suggestion = didYouMean(keyPath.slice(cut + 1), candidates);
  return `${keyPath} is not a known key${suggestion ? ` (did you mean ${parent}${suggestion}?)` : ''}`;
}

/**
 * Validates config sections against their JSON Schemas (defaults are applied in place) and
 * throws one StartupError listing every problem with its file and key. An unknown key (a
 * top-level section no installed plugin reads, or a key a schema does not allow) is a problem
 * with a "did you mean" suggestion; keys only Backstage uses are returned as warnings.
 */
export function validateConfig(config: ConfigService, sections: ConfigSection[], options: ValidateConfigOptions = {}): string[] {
  const problems: string[] = [];
  const warnings: string[] = [];
  const where = (keyPath: string) => config.originOf(keyPath) ?? 'the defaults';
  const unknown = (keyPath: string, candidates: string[]) => {
    const ignored = IGNORED_BACKSTAGE_KEYS[keyPath];
    if (ignored !== undefined) warnings.push(`${where(keyPath)}: ${keyPath} is ignored: ${ignored}`);
    else problems.push(`${where(keyPath)}: ${unknownKeyMessage(keyPath, candidates)}`);
  };

  if (options.knownSections) {
    for (const key of Object.keys(config.data)) if (!options.knownSections.includes(key)) unknown(key, [...options.knownSections]);
  }
  for (const section of sections) {
    const value = section.whole ? config.data : (config.data[section.key] ?? {});
    if (!section.whole && config.data[section.key] === undefined) (config.data as Record<string, unknown>)[section.key] = value;
    const validate = ajv.compile(section.schema);
    if (validate(value)) continue;
    const root = section.whole ? '' : section.key;
    for (const error of validate.errors ?? []) {
      const [field] = toFieldErrors([error], root);
      if (!field) continue;
      if (error.keyword === 'additionalProperties') unknown(field.path, knownPropertiesAt(section.schema, error));
      else problems.push(`${where(field.path)}: ${field.path} ${field.message}`);
    }
  }
  if (problems.length > 0) {
    const unique = [...new Set(problems)];
    throw new StartupError(`Invalid configuration: ${unique.join('; ')}.`);
  }
  return [...new Set(warnings)];
}
