import { Accordion, Code, Group, Text, Title } from '@mantine/core';
import { Markdown } from './Markdown';
import type { JsonObject } from './openapiModel';
import { SchemaView, schemaSummary } from './SchemaView';

/** The named schemas of an OpenAPI or AsyncAPI document, one collapsible item each. */
export function SchemasSection(props: { schemas: Array<{ name: string; schema: JsonObject }>; document: JsonObject }) {
  const { schemas, document } = props;
  if (schemas.length === 0) return null;
  return (
    <section aria-label="Schemas">
      <Title order={3} size="h4" mb="xs">
        Schemas ({schemas.length})
      </Title>
      <Accordion multiple variant="separated" chevronPosition="left">
        {schemas.map(({ name, schema }) => (
          <Accordion.Item key={name} value={name}>
            <Accordion.Control>
              <Group gap="xs">
                <Code fw={700}>{name}</Code>
                <Text size="xs" c="dimmed">
                  {schemaSummary(schema, document)}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {typeof schema['description'] === 'string' && <Markdown source={schema['description']} />}
              <SchemaView schema={schema} document={document} />
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </section>
  );
}
