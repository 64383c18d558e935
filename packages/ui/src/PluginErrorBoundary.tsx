import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Text } from '@mantine/core';
import { ErrorState } from './ErrorState';
import { errorMessage } from './errorMessage';

export interface PluginErrorBoundaryProps {
  pluginId: string;
  /** When this value changes (e.g. the URL), a crashed plugin gets another chance to render. */
  resetKey?: unknown;
  /** A one-line notice instead of the error card, for small places such as a page header. */
  compact?: boolean;
  children: ReactNode;
}

type State = { failed: false } | { failed: true; error: unknown };

/** Contains a plugin's render errors in a card naming the plugin, so the rest of the app keeps working. */
export class PluginErrorBoundary extends Component<PluginErrorBoundaryProps, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { failed: true, error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Plugin "${this.props.pluginId}" failed to render:`, error, info.componentStack);
  }

  override componentDidUpdate(previous: PluginErrorBoundaryProps): void {
    if (this.state.failed && !Object.is(previous.resetKey, this.props.resetKey)) this.reset();
  }

  private readonly reset = () => this.setState({ failed: false });

  override render() {
    if (!this.state.failed) return this.props.children;
    if (this.props.compact) {
      return (
        <Text component="span" size="sm" c="red" role="alert" title={errorMessage(this.state.error)}>
          The “{this.props.pluginId}” plugin failed here
        </Text>
      );
    }
    return <ErrorState error={this.state.error} title={`The "${this.props.pluginId}" plugin failed to render`} onRetry={this.reset} />;
  }
}
