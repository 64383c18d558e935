import { PageLayout } from '@atrium/ui';

export default function IntegrationsPage() {
  return (
    <PageLayout title="Integrations" subtitle="Connect GitHub or GitLab and the catalog fills itself.">
      {null}
    </PageLayout>
  );
}
