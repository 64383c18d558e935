/**
 * The field format rules Backstage applies to entities (its default `makeValidator()`
 * set, catalog-model 1.10). Each `explain*` function returns `undefined` for a valid
 * value, or the reason it is invalid, phrased to follow the field name in a sentence
 * ("metadata.name must not be empty"). The `isValid*` predicates are the yes/no form.
 */

type TextRule = { maxLength: number; pattern: RegExp; expectation: string };

const ENTITY_NAME: TextRule = {
  maxLength: 63,
  pattern: /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/,
  expectation: 'sequences of [a-zA-Z0-9] separated by any of "-", "_" and ".", starting and ending with a letter or digit',
};

const DNS_LABEL: TextRule = {
  maxLength: 63,
  pattern: /^[a-z0-9]+(?:-+[a-z0-9]+)*$/,
  expectation: 'sequences of lower-case [a-z0-9] separated by "-"',
};

const KIND: TextRule = {
  maxLength: 63,
  pattern: /^[a-zA-Z][a-z0-9A-Z]*$/,
  expectation: 'a letter followed by letters and digits only, e.g. "Component"',
};

const TAG: TextRule = {
  maxLength: 63,
  pattern: /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/,
  expectation: 'sequences of lower-case [a-z0-9:+#] separated by single "-", e.g. "java" or "c++"',
};

const VERSION: TextRule = {
  maxLength: 63,
  pattern: /^[a-zA-Z0-9]+$/,
  expectation: 'letters and digits only, e.g. "v1alpha1"',
};

const DNS_SUBDOMAIN_MAX = 253;

function explainText(value: unknown, rule: TextRule): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > rule.maxLength) {
    return `must be at most ${rule.maxLength} characters long, but is ${value.length}`;
  }
  if (!rule.pattern.test(value)) return `must be ${rule.expectation}`;
  return undefined;
}

export function explainDnsSubdomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > DNS_SUBDOMAIN_MAX) {
    return `must be at most ${DNS_SUBDOMAIN_MAX} characters long, but is ${value.length}`;
  }
  const bad = value.split('.').find((label) => explainText(label, DNS_LABEL) !== undefined);
  if (bad !== undefined) {
    return `must be a DNS subdomain: dot-separated labels of lower-case [a-z0-9] separated by "-", each at most 63 characters`;
  }
  return undefined;
}

/**
 * `<suffix>` or `<prefix>/<suffix>`, where the prefix is a DNS subdomain. Used for
 * apiVersion (`backstage.io/v1alpha1`) and label and annotation keys (`example.com/team`).
 */
function explainPrefixed(value: unknown, suffixName: string, explainSuffix: (suffix: string) => string | undefined): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const parts = value.split('/');
  if (parts.length > 2) return 'must contain at most one "/" (an optional prefix, then a name)';
  if (parts.length === 2) {
    const prefixProblem = explainDnsSubdomain(parts[0]);
    if (prefixProblem) return `has an invalid prefix ${JSON.stringify(parts[0])}: it ${prefixProblem}`;
  }
  const suffix = parts[parts.length - 1] ?? '';
  const suffixProblem = explainSuffix(suffix);
  if (suffixProblem) {
    return parts.length === 2 ? `has an invalid ${suffixName} ${JSON.stringify(suffix)}: it ${suffixProblem}` : suffixProblem;
  }
  return undefined;
}

export const explainEntityName = (value: unknown) => explainText(value, ENTITY_NAME);
export const explainNamespace = (value: unknown) => explainText(value, DNS_LABEL);
export const explainKind = (value: unknown) => explainText(value, KIND);
export const explainTag = (value: unknown) => explainText(value, TAG);

export const explainApiVersion = (value: unknown) => explainPrefixed(value, 'version', (v) => explainText(v, VERSION));

export const explainLabelKey = (value: unknown) => explainPrefixed(value, 'name', explainEntityName);

export const explainAnnotationKey = explainLabelKey;

export const explainLabelValue = (value: unknown) => (value === '' ? undefined : explainEntityName(value));

export const explainAnnotationValue = (value: unknown) => (typeof value === 'string' ? undefined : 'must be a string');

export function explainUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  try {
    new URL(value);
    return undefined;
  } catch {
    return 'must be an absolute URL, e.g. "https://example.com/docs"';
  }
}

export function explainNonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  return value.trim().length === 0 ? 'must not be empty or blank' : undefined;
}

const valid = (explain: (value: unknown) => string | undefined) => (value: unknown) => explain(value) === undefined;

export const isValidEntityName = valid(explainEntityName);
export const isValidNamespace = valid(explainNamespace);
export const isValidKind = valid(explainKind);
export const isValidApiVersion = valid(explainApiVersion);
export const isValidTag = valid(explainTag);
export const isValidLabelKey = valid(explainLabelKey);
export const isValidLabelValue = valid(explainLabelValue);
export const isValidAnnotationKey = valid(explainAnnotationKey);
export const isValidAnnotationValue = valid(explainAnnotationValue);
export const isValidDnsSubdomain = valid(explainDnsSubdomain);
export const isValidUrl = valid(explainUrl);
