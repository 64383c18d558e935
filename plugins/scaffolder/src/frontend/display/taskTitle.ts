import { humanizeEntityRef } from '@atrium/ui';
import type { SerializedTask } from '../../common/index';

/** The template's title as the task recorded it, else its ref in short (`node-service`). */
export function taskTemplateTitle(task: Pick<SerializedTask, 'spec' | 'templateRef'>): string {
  const title = task.spec.templateInfo.entity?.metadata?.['title'];
  if (typeof title === 'string' && title.trim()) return title;
  const ref = task.templateRef ?? task.spec.templateInfo.entityRef;
  return humanizeEntityRef(ref, { defaultKind: 'template' });
}
