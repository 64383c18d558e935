import { createAjv, toFieldErrors, type JsonSchema } from '@atrium/backend-plugin-api';
import { StartupError } from '../host/StartupError.js';
import type { ConfigBundle } from './ConfigBundle.js';

const ajv = createAjv({ useDefaults: true });

export interface ConfigSection {
  /** Top-level key, e.g. `backend` or a plugin id. */
  key: string;
  schema: JsonSchema;
  /** Validate the whole document instead of one section. */
  whole?: boolean;
}

/**
 * Validates config sections against their JSON Schemas (defaults are applied in place) and
 * throws one StartupError listing every problem with its file and key.
 */
export function validateConfig(config: ConfigBundle, sections: ConfigSection[]): void {
  const problems: string[] = [];
  for (const section of sections) {
    const value = section.whole ? config.data : (config.data[section.key] ?? {});
    if (!section.whole && config.data[section.key] === undefined) config.data[section.key] = value;
    const validate = ajv.compile(section.schema);
    if (!validate(value)) {
      for (const err of toFieldErrors(validate.errors, section.whole ? '' : section.key)) {
        const file = config.originOf(err.path) ?? 'the defaults';
        problems.push(`${file}: ${err.path} ${err.message}`);
      }
    }
  }
  if (problems.length > 0) {
    const unique = [...new Set(problems)];
    throw new StartupError(`Invalid configuration: ${unique.join('; ')}.`);
  }
}
