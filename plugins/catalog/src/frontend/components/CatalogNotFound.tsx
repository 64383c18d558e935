import { NotFoundPage } from '@atrium/ui';
import { Button, Code } from '@mantine/core';
import { IconCategory } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

/** A /catalog/... path that is not an entity page: entity pages need namespace, kind and name. */
export default function CatalogNotFound() {
  const { pathname } = useLocation();
  return (
    <NotFoundPage
      description={
        <>
          There is no catalog page at <Code>{pathname}</Code>. Entity pages live at <Code>/catalog/&lt;namespace&gt;/&lt;kind&gt;/&lt;name&gt;</Code>, e.g.{' '}
          <Code>/catalog/default/component/orders-service</Code>.
        </>
      }
      actions={
        <Button component={Link} to="/catalog" leftSection={<IconCategory size={16} aria-hidden />}>
          Browse the catalog
        </Button>
      }
    />
  );
}
