import type { Entity } from '@atrium/catalog-model';
import { permissionDeniedText, useEntity, usePermission } from '@atrium/frontend-plugin-api';
import { EntityRefLinks, SectionCard } from '@atrium/ui';
import { Button, Stack, Text, Tooltip } from '@mantine/core';
import { IconRocket } from '@tabler/icons-react';
import { Link } from 'react-router';
import { refOf, templatePath } from '../refs';
import { useTemplateRunCheck } from '../templateProblems';

/**
 * On a Template's catalog page: launch it (its form at /create/templates/:namespace/:name), unless
 * the catalog's checks found problems in its stored version, which keep it from running.
 */
export default function TemplateLaunchCard() {
  const entity = useEntity();
  const path = templatePath(refOf(entity));
  const canRun = usePermission({ permission: 'scaffolder.task.create', resourceRef: refOf(entity) });
  const denied = permissionDeniedText(canRun, 'run this template');
  // The catalog's entity page provides the entity as the catalog served it (status items included).
  const runCheck = useTemplateRunCheck(entity as Entity);
  if (!path) return null;
  const spec = (entity.spec ?? {}) as { steps?: unknown; approval?: unknown };
  const steps = Array.isArray(spec.steps) ? spec.steps.length : 0;
  const approvers = approversOf(spec.approval);
  return (
    <SectionCard title="Use this template">
      <Stack gap="xs" align="flex-start">
        <Text size="sm" c="dimmed">
          Fill in its form and review the values; Atrium then runs its {steps === 1 ? 'step' : `${steps} steps`}.{approvers.length ? ' A member of ' : ''}
          {approvers.length ? <EntityRefLinks entityRefs={approvers} defaultKind="group" size="sm" /> : null}
          {approvers.length ? ' approves each run first.' : ''}
        </Text>
        {runCheck.state === 'blocked' && (
          <Text size="sm" c="red.8">
            {runCheck.problems.length === 1 ? 'It has a problem' : `It has ${runCheck.problems.length} problems`} (listed at the top of this page) and cannot be
            run until its file is fixed.
          </Text>
        )}
        {runCheck.state === 'unknown' && (
          <Text size="sm" c="dimmed">
            The catalog reported problems with its file (listed at the top of this page); a run may be refused because of them.
          </Text>
        )}
        {runCheck.state === 'blocked' || runCheck.state === 'checking' ? (
          <Tooltip label={runCheck.state === 'blocked' ? 'It cannot be run until its problems are fixed' : 'Checking whether it can be run…'} multiline w={260}>
            <Button
              disabled
              leftSection={<IconRocket size={16} aria-hidden />}
              aria-description={runCheck.state === 'blocked' ? 'It cannot be run until its problems are fixed' : undefined}
              style={{ pointerEvents: 'auto' }}
            >
              Launch
            </Button>
          </Tooltip>
        ) : canRun.allowed ? (
          <Button component={Link} to={path} leftSection={<IconRocket size={16} aria-hidden />}>
            Launch
          </Button>
        ) : (
          <Tooltip label={denied ?? 'Checking whether you may run it…'} multiline w={260}>
            <Button disabled leftSection={<IconRocket size={16} aria-hidden />} aria-description={denied} style={{ pointerEvents: 'auto' }}>
              Launch
            </Button>
          </Tooltip>
        )}
      </Stack>
    </SectionCard>
  );
}

/** `spec.approval` as the scaffolder reads it: `{ groups }`, `{ approvers }` or a list of refs. */
function approversOf(raw: unknown): string[] {
  const list = Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object'
      ? ((raw as { groups?: unknown; approvers?: unknown }).groups ?? (raw as { approvers?: unknown }).approvers)
      : undefined;
  return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [];
}
