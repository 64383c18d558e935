import { ExtensionElement, type ExtensionContent } from '@atrium/frontend-plugin-api';
import { Suspense } from 'react';
import { LoadingState } from './LoadingState';
import { PluginErrorBoundary } from './PluginErrorBoundary';

export interface PluginContentProps {
  pluginId: string;
  content: ExtensionContent;
  resetKey?: unknown;
  loadingLabel?: string;
  compact?: boolean;
}

/** Renders one plugin extension contained: its own loading state and its own error card. */
export function PluginContent(props: PluginContentProps) {
  return (
    <PluginErrorBoundary pluginId={props.pluginId} resetKey={props.resetKey}>
      <Suspense fallback={<LoadingState label={props.loadingLabel} compact={props.compact} />}>
        <ExtensionElement content={props.content} />
      </Suspense>
    </PluginErrorBoundary>
  );
}
