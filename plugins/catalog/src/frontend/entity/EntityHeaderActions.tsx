import type { Entity } from '@atrium/catalog-model';
import {
  ExtensionElement,
  filterForEntity,
  useExtensions,
  type Contributed,
  type EntityActionExtension,
  type ExtensionContent,
} from '@atrium/frontend-plugin-api';
import { PluginErrorBoundary } from '@atrium/ui';
import { Button } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { Link } from 'react-router';
import { resolveActionHref } from './entityActions';

/** Other plugins' buttons in the entity header ("Launch" on a Template, "Results" on a Scorecard…). */
export function EntityHeaderActions(props: { entity: Entity }) {
  const { entityActions } = useExtensions();
  const actions = filterForEntity(entityActions, props.entity);
  return (
    <>
      {actions.map((action) => (
        <PluginErrorBoundary key={`${action.pluginId}:${action.id}`} pluginId={action.pluginId} resetKey={props.entity.metadata.uid} compact>
          <Suspense fallback={null}>
            <EntityHeaderAction action={action} entity={props.entity} />
          </Suspense>
        </PluginErrorBoundary>
      ))}
    </>
  );
}

function EntityHeaderAction(props: { action: Contributed<EntityActionExtension>; entity: Entity }): ReactNode {
  const { action } = props;
  if (typeof action.href !== 'function') return <ExtensionElement content={action as ExtensionContent} />;
  const target = resolveActionHref(action, props.entity);
  if (!target) return null;
  const common = {
    size: 'sm' as const,
    variant: action.primary ? 'filled' : 'default',
    leftSection: action.icon,
    'data-action-id': `${action.pluginId}:${action.id}`,
  };
  return target.kind === 'app' ? (
    <Button component={Link} to={target.to} {...common}>
      {action.title}
    </Button>
  ) : (
    <Button component="a" href={target.href} target="_blank" rel="noreferrer" {...common}>
      {action.title}
    </Button>
  );
}
