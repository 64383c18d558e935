import { Badge, Group, Title } from '@mantine/core';
import { Markdown } from './Markdown';

/** Title, spec version, API version and description at the top of an OpenAPI or AsyncAPI view. */
export function DefinitionHeader(props: { title: string; apiVersion?: string | undefined; version: string; description?: string | undefined }) {
  return (
    <>
      <Group gap="xs">
        <Title order={2} size="h3">
          {props.title}
        </Title>
        {props.apiVersion && (
          <Badge variant="light" tt="none">
            v{props.apiVersion}
          </Badge>
        )}
        <Badge variant="outline" color="gray" tt="none">
          {props.version}
        </Badge>
      </Group>
      <Markdown source={props.description} />
    </>
  );
}
