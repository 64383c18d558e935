import { ANNOTATION_ORPHAN, stringifyEntityRef, type Entity, type EntityStatusItem } from '@atrium/catalog-model';
import { usePermission } from '@atrium/frontend-plugin-api';
import { ProblemList } from '@atrium/ui';
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUnlink } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { processingErrorItems, useShownVersionVerdict, type ShownVersionVerdict } from './shownVersion';

/** Status items worth a banner: errors first, then warnings. */
export function statusProblems(entity: Entity): { errors: EntityStatusItem[]; warnings: EntityStatusItem[] } {
  const items = entity.status?.items ?? [];
  return {
    errors: items.filter((item) => item.level === 'error'),
    warnings: items.filter((item) => item.level === 'warning'),
  };
}

/** Processing errors (what they mean for the version shown), other errors, warnings (such as relations to entities not in the catalog) and orphan status. */
export function EntityStatusBanner(props: { entity: Entity; onDelete: () => void }) {
  const { errors, warnings } = statusProblems(props.entity);
  const processing = processingErrorItems(props.entity);
  const otherErrors = errors.filter((item) => !processing.includes(item));
  const verdict = useShownVersionVerdict(props.entity);
  const orphan = props.entity.metadata.annotations?.[ANNOTATION_ORPHAN] === 'true';
  const canDelete = usePermission(orphan ? { permission: 'catalog.entity.delete', resourceRef: stringifyEntityRef(props.entity) } : undefined);
  if (!verdict && otherErrors.length === 0 && warnings.length === 0 && !orphan) return null;
  return (
    <Stack gap="xs">
      {verdict && <ProcessingErrorsAlert verdict={verdict} kind={props.entity.kind} />}
      {otherErrors.length > 0 && (
        <Alert
          role="alert"
          color="red"
          variant="light"
          title={otherErrors.length === 1 ? 'Error' : `${otherErrors.length} errors`}
          icon={<IconAlertTriangle aria-hidden />}
        >
          <StatusList items={otherErrors} />
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert
          color="yellow"
          variant="light"
          title={warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}
          icon={<IconAlertTriangle aria-hidden />}
        >
          <StatusList items={warnings} />
        </Alert>
      )}
      {orphan && (
        <Alert color="yellow" variant="light" title="This entity is an orphan" icon={<IconUnlink aria-hidden />}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">The location that provided it no longer contains it, so it will not be updated any more. Delete it if it is gone for good.</Text>
            {canDelete.allowed && (
              <Button size="xs" color="red" variant="light" onClick={props.onDelete}>
                Delete entity…
              </Button>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

const problemCount = (n: number) => (n === 1 ? 'a problem' : `${n} problems`);

/**
 * The entity's processing errors, said as what they are (see ShownVersionVerdict): problems of
 * the stored version shown (a Template with them cannot be run), a newer definition the
 * catalog refused (the last accepted version is shown), or, when that is not known, the errors
 * as reported.
 */
export function ProcessingErrorsAlert(props: { verdict: ShownVersionVerdict; kind: string }) {
  const { verdict } = props;
  const isTemplate = props.kind.toLowerCase() === 'template';
  const alert = (title: string, body: ReactNode) => (
    <Alert role="alert" color="red" variant="light" title={title} icon={<IconAlertTriangle aria-hidden />}>
      {body}
    </Alert>
  );
  if (verdict.state === 'flagged') {
    const n = verdict.problems.length;
    return alert(
      isTemplate ? `This template has ${problemCount(n)} and cannot be run` : `This version has ${problemCount(n)}`,
      <>
        <Text size="sm" mb={4}>
          This version is stored in the catalog and shown here as it is, but the checks made when the catalog read its file found{' '}
          {n === 1 ? 'a problem in it' : 'these problems in it'}.{' '}
          {isTemplate ? 'The template cannot be run until the file is fixed and its location refreshed.' : 'Fix the file and refresh its location.'}
        </Text>
        <ProblemList problems={verdict.problems} />
        {verdict.refused.length > 0 && (
          <>
            <Text size="sm" mt="xs" mb={4}>
              The catalog also refused a newer definition of it:
            </Text>
            <ProblemList problems={verdict.refused} />
          </>
        )}
      </>,
    );
  }
  if (verdict.state === 'refused') {
    return alert(
      'The newest definition was refused',
      <>
        <Text size="sm" mb={4}>
          The catalog could not take the latest definition of this entity, so the version shown is the last one it accepted. Fix the file and refresh.
        </Text>
        <ProblemList problems={verdict.refused} />
      </>,
    );
  }
  const n = verdict.reported.length;
  return alert(
    n === 1 ? 'Processing error' : `${n} processing errors`,
    <>
      <Text size="sm" mb={4}>
        The catalog reported {n === 1 ? 'a problem' : 'these problems'} with this entity’s descriptor. Fix the file and refresh.
      </Text>
      <ProblemList problems={verdict.reported} />
    </>,
  );
}

function StatusList(props: { items: EntityStatusItem[] }) {
  return (
    <List size="sm" spacing={2}>
      {props.items.map((item, index) => (
        <List.Item key={index}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {item.message}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
