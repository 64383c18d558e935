import { EmptyState, PageLayout } from '@atrium/ui';
import { Anchor } from '@mantine/core';
import { IconCategory } from '@tabler/icons-react';

export default function CatalogPlaceholderPage() {
  return (
    <PageLayout title="Catalog" subtitle="Your organisation's software: components, APIs, systems, teams.">
      <EmptyState
        icon={<IconCategory aria-hidden />}
        title="The catalog UI is coming soon"
        description="Until then, the catalog's entities are available as JSON from the API."
        action={<Anchor href="/api/catalog/entities">Open /api/catalog/entities</Anchor>}
      />
    </PageLayout>
  );
}
