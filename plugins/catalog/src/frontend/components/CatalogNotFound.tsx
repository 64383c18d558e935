import { EmptyState, PageLayout } from '@atrium/ui';
import { Button } from '@mantine/core';
import { IconCategory } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

/** A /catalog/... path that is not an entity page: entity pages need namespace, kind and name. */
export default function CatalogNotFound() {
  const { pathname } = useLocation();
  return (
    <PageLayout title="Page not found">
      <EmptyState
        icon={<IconCategory aria-hidden />}
        title={`There is no catalog page at ${pathname}`}
        description="Entity pages live at /catalog/<namespace>/<kind>/<name>, e.g. /catalog/default/component/orders-service."
        action={
          <Button component={Link} to="/catalog">
            Browse the catalog
          </Button>
        }
      />
    </PageLayout>
  );
}
