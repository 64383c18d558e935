import type { ValidationIssue } from './entity.js';
import { isRecord, joinFieldPath, quoteValue } from './fieldPath.js';
import {
  explainAnnotationKey,
  explainAnnotationValue,
  explainApiVersion,
  explainEntityName,
  explainKind,
  explainLabelKey,
  explainLabelValue,
  explainNamespace,
  explainNonEmptyString,
  explainTag,
  explainUrl,
} from './formats.js';

type Explain = (value: unknown) => string | undefined;

/**
 * Applies Backstage's field format rules (FieldFormatEntityPolicy) to apiVersion, kind and
 * metadata. Only values of the right JSON type are checked here; a missing field or a
 * wrong type is the envelope schema's to report, so the two never describe one problem twice.
 */
export function validateEntityFields(entity: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isRecord(entity)) return issues;

  const check = (path: string, value: unknown, explain: Explain, what = '') => {
    if (typeof value !== 'string') return;
    const problem = explain(value);
    if (problem) {
      issues.push({ path, message: `${path}${what} ${quoteValue(value)} is not valid: it ${problem}` });
    }
  };

  check('apiVersion', entity.apiVersion, explainApiVersion);
  check('kind', entity.kind, explainKind);

  const metadata = entity.metadata;
  if (!isRecord(metadata)) return issues;

  check('metadata.name', metadata.name, explainEntityName);
  check('metadata.namespace', metadata.namespace, explainNamespace);

  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (!isRecord(map)) continue;
    const explainKey = field === 'labels' ? explainLabelKey : explainAnnotationKey;
    const explainValue = field === 'labels' ? explainLabelValue : explainAnnotationValue;
    for (const [key, value] of Object.entries(map)) {
      const path = joinFieldPath(`metadata.${field}`, key);
      const keyProblem = explainKey(key);
      if (keyProblem) {
        issues.push({
          path,
          message: `metadata.${field} key ${quoteValue(key)} is not valid: it ${keyProblem}`,
        });
      }
      check(path, value, explainValue, ' value');
    }
  }

  const tags = metadata.tags;
  if (Array.isArray(tags)) {
    tags.forEach((tag, i) => check(joinFieldPath('metadata.tags', i), tag, explainTag));
  }

  const links = metadata.links;
  if (Array.isArray(links)) {
    links.forEach((link, i) => {
      if (!isRecord(link)) return;
      const base = joinFieldPath('metadata.links', i);
      check(`${base}.url`, link.url, explainUrl);
      check(`${base}.title`, link.title, explainNonEmptyString);
      check(`${base}.icon`, link.icon, explainNonEmptyString);
    });
  }

  return issues;
}
