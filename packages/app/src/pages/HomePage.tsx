import { PageLayout } from '@atrium/ui';
import { HomeWidgets } from '../home/HomeWidgets';

export function HomePage() {
  return (
    <PageLayout
      title="Welcome to Atrium"
      documentTitle="Home"
      subtitle="Your organisation's software, docs, templates and scorecards in one place."
    >
      <HomeWidgets />
    </PageLayout>
  );
}
