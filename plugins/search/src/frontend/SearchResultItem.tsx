import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { appPath } from './appPath';
import { Highlighted } from './Highlighted';
import { rememberRecent } from './recent';
import { typeLabel, type SearchResult } from './types';

/** One hit on the search page: its title as a link, what it is, and the matched text. */
export function SearchResultItem(props: { result: SearchResult }) {
  const { document: doc, highlight, type } = props.result;
  const path = appPath(doc.location);
  const title = <Highlighted highlight={highlight} field="title" fallback={doc.title} />;
  const remember = () => path && rememberRecent({ title: doc.title, location: path, type, ...(doc.kind ? { subtitle: doc.kind } : {}) });
  return (
    <Stack gap={4} component="article" aria-label={doc.title}>
      <Group gap="xs" wrap="wrap">
        {path ? (
          <Anchor component={Link} to={path} fw={600} onClick={remember}>
            {title}
          </Anchor>
        ) : (
          <Text fw={600}>{title}</Text>
        )}
        <Badge variant="light" size="sm" color="gray">
          {typeLabel(type)}
        </Badge>
        {doc.kind && (
          <Badge variant="default" size="sm">
            {doc.kind}
          </Badge>
        )}
      </Group>
      {doc.text && (
        <Text size="sm" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
          <Highlighted highlight={highlight} field="text" fallback={doc.text} />
        </Text>
      )}
      {(doc.owner || doc.lifecycle || (doc.tags && doc.tags.length > 0)) && (
        <Group gap="xs" wrap="wrap">
          {doc.owner && (
            <Text size="xs" c="dimmed">
              Owner: {doc.owner.replace(/^group:(default\/)?/, '')}
            </Text>
          )}
          {doc.lifecycle && (
            <Text size="xs" c="dimmed">
              Lifecycle: {doc.lifecycle}
            </Text>
          )}
          {doc.tags?.slice(0, 5).map((tag) => (
            <Badge key={tag} variant="dot" size="xs" color="gray" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
