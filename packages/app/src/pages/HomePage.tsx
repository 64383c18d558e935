import { PageLayout } from '@atrium/ui';
import { HomeWidgets } from '../home/HomeWidgets';
import { MyWork } from '../home/MyWork';

export function HomePage() {
  return (
    <PageLayout title="Welcome to Atrium" documentTitle="Home" subtitle="Your organisation's software, docs, templates and scorecards in one place.">
      <MyWork />
      <HomeWidgets />
    </PageLayout>
  );
}
