import { useExtensions, type HomeWidgetSize } from '@atrium/frontend-plugin-api';
import { EmptyState, PluginContent, SectionCard } from '@atrium/ui';
import { Grid } from '@mantine/core';
import { IconLayoutDashboard } from '@tabler/icons-react';

const SPANS: Record<HomeWidgetSize, { base: number; md: number; lg: number }> = {
  small: { base: 12, md: 6, lg: 4 },
  medium: { base: 12, md: 6, lg: 6 },
  large: { base: 12, md: 12, lg: 12 },
};

/** The plugins' home widgets, each in its own card that contains its loading and errors. */
export function HomeWidgets() {
  const { homeWidgets } = useExtensions();
  if (homeWidgets.length === 0) {
    return (
      <EmptyState
        icon={<IconLayoutDashboard aria-hidden />}
        title="No home widgets yet"
        description="Plugins can add widgets to this page. Install one in packages/app/src/plugins.ts."
      />
    );
  }
  return (
    <Grid gap="lg">
      {homeWidgets.map((widget) => (
        <Grid.Col key={`${widget.pluginId}/${widget.id}`} span={SPANS[widget.size ?? 'medium']}>
          <SectionCard title={widget.title}>
            <PluginContent pluginId={widget.pluginId} content={widget} compact loadingLabel="Loading widget…" />
          </SectionCard>
        </Grid.Col>
      ))}
    </Grid>
  );
}
