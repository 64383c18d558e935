import { apiFetch } from '@atrium/frontend-plugin-api';

/** The few fields the home page's "My …" section shows of an entity. */
export interface MyEntity {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; description?: string };
  spec?: { type?: string; lifecycle?: string };
}

/** Task statuses counted as still running. */
export const RUNNING_TASK_STATUSES = ['open', 'awaiting-approval', 'processing'] as const;

export interface MyTask {
  id: string;
  status: string;
  createdAt: string;
  templateRef?: string;
  spec?: { templateInfo?: { entityRef?: string; entity?: { metadata?: { title?: string; name?: string } } } };
}

/** The catalog predicate for components owned by any of `refs` (as the explorer's owner filter builds it). */
export function ownedComponentsQuery(refs: readonly string[]) {
  return {
    $all: [{ kind: 'component' }, { relations: { $contains: { type: 'ownedBy', targetRef: { $in: refs.map((r) => r.toLowerCase()) } } } }],
  };
}

/** The explorer URL listing components owned by `refs`. */
export function ownedComponentsExplorerPath(refs: readonly string[]): string {
  const params = new URLSearchParams();
  for (const ref of refs) params.append('owner', ref.toLowerCase());
  return `/catalog?${params.toString()}`;
}

export const MY_COMPONENTS_LIMIT = 8;

export function fetchMyComponents(refs: readonly string[], signal?: AbortSignal) {
  return apiFetch<{ items: MyEntity[]; totalItems?: number }>('/catalog/entities/by-query', {
    json: {
      query: ownedComponentsQuery(refs),
      orderBy: [{ field: 'metadata.name', order: 'asc' }],
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.type', 'spec.lifecycle'],
      limit: MY_COMPONENTS_LIMIT,
      totalItems: 'include',
    },
    signal,
  });
}

/** Scaffolder tasks I started that have not finished (the tasks API filters by creator: `owned=true`). */
export function fetchMyRunningTasks(signal?: AbortSignal) {
  return apiFetch<{ tasks: MyTask[]; totalTasks: number }>('/scaffolder/v2/tasks', {
    query: { owned: true, status: RUNNING_TASK_STATUSES.join(','), order: 'desc:created_at', limit: 10 },
    signal,
  });
}

/** A task's name on the home page: its template's title, else the template ref. */
export function taskTitle(task: MyTask): string {
  const info = task.spec?.templateInfo;
  return info?.entity?.metadata?.title ?? info?.entity?.metadata?.name ?? task.templateRef ?? info?.entityRef ?? `Task ${task.id.slice(0, 8)}`;
}
