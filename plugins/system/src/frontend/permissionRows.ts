import type { CataloguePermission, ExplainedDecision } from './permissionsApi';

export type DecisionFilter = 'all' | 'allow' | 'deny';

/** A row of the Permissions page: a decision with its permission's description. */
export interface PermissionRow extends ExplainedDecision {
  description?: string;
  declaredBy?: string;
  resourceType?: string;
}

/** Joins decisions to the catalogue (for descriptions), keeps those matching the filter and the text, sorted by name. */
export function permissionRows(
  items: readonly ExplainedDecision[],
  catalogue: readonly CataloguePermission[] | undefined,
  filter: { decision: DecisionFilter; text: string },
): PermissionRow[] {
  const byName = new Map((catalogue ?? []).map((p) => [p.name, p]));
  const text = filter.text.trim().toLowerCase();
  return items
    .map((item): PermissionRow => {
      const entry = byName.get(item.permission);
      return {
        ...item,
        ...(entry ? { description: entry.description, declaredBy: entry.declaredBy, ...(entry.resourceType ? { resourceType: entry.resourceType } : {}) } : {}),
      };
    })
    .filter((row) => filter.decision === 'all' || row.decision === filter.decision)
    .filter((row) => !text || [row.permission, row.description, row.rule, row.reason].some((s) => s?.toLowerCase().includes(text)))
    .sort((a, b) => a.permission.localeCompare(b.permission));
}

/** "Allowed" / "Allowed for some targets" / "Denied". */
export function decisionLabel(row: Pick<ExplainedDecision, 'decision' | 'conditional'>): string {
  if (row.decision === 'deny') return 'Denied';
  return row.conditional ? 'Allowed for some targets' : 'Allowed';
}
