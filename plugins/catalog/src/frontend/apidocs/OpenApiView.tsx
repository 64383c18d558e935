import { Accordion, Alert, Badge, Code, Group, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { DataTable } from '@atrium/ui';
import classes from './apidocs.module.css';
import { DefinitionHeader } from './DefinitionHeader';
import { Markdown } from './Markdown';
import { buildOpenApiModel, filterOperations, parseDefinition, type ApiContent, type ApiOperation, type OpenApiModel } from './openapiModel';
import { SchemasSection } from './SchemasSection';
import { SchemaView, schemaSummary } from './SchemaView';
import { TryItPanel } from './TryItPanel';

export const METHOD_COLORS: Record<string, string> = {
  get: 'blue',
  post: 'teal',
  put: 'orange',
  patch: 'yellow',
  delete: 'red',
  head: 'gray',
  options: 'gray',
  trace: 'gray',
};

/** An OpenAPI or Swagger definition as a browsable reference: operations by tag, then schemas. */
export default function OpenApiView(props: { definition: string }) {
  const model = useMemo(() => buildOpenApiModel(parseDefinition(props.definition)), [props.definition]);
  const [search, setSearch] = useState('');
  const [tryIt, setTryIt] = useState(false);
  const [open, setOpen] = useState<string[]>([]);
  const operationCount = new Set(model.tags.flatMap((t) => t.operations.map((o) => o.id))).size;

  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <DefinitionHeader title={model.title} apiVersion={model.apiVersion} version={model.version} description={model.description} />
        {model.servers.length > 0 && (
          <Group gap="xs">
            <Text size="sm" fw={600}>
              Servers:
            </Text>
            {model.servers.map((server) => (
              <Code key={server.url} title={server.description}>
                {server.url}
              </Code>
            ))}
          </Group>
        )}
      </Stack>

      <Group justify="space-between" align="flex-end">
        <TextInput
          aria-label="Filter operations"
          placeholder={`Filter ${operationCount} operations by path, summary or tag`}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={{ base: '100%', sm: 420 }}
        />
        <Switch label="Try it out" description="Send requests from your browser" checked={tryIt} onChange={(e) => setTryIt(e.currentTarget.checked)} />
      </Group>
      {tryIt && (
        <Alert color="yellow" variant="light" p="xs">
          <Text size="sm">
            Requests go straight from your browser to the API’s server, with your browser’s cookies for that server. The server must allow this origin (CORS).
            Do not send production data you would not type into a terminal.
          </Text>
        </Alert>
      )}

      {model.tags.map((tag) => {
        const operations = filterOperations(tag.operations, search);
        if (operations.length === 0) return null;
        return (
          <section key={tag.name} aria-label={`Operations: ${tag.name}`}>
            <Title order={3} size="h4" mb={4}>
              {tag.name}
            </Title>
            <Markdown source={tag.description} />
            <Accordion multiple value={open} onChange={setOpen} variant="separated" mt="xs" chevronPosition="left">
              {operations.map((operation) => {
                const value = `${tag.name}:${operation.id}`;
                return (
                  <Accordion.Item key={value} value={value}>
                    <Accordion.Control>
                      <OperationTitle operation={operation} />
                    </Accordion.Control>
                    <Accordion.Panel>{open.includes(value) && <OperationDetails operation={operation} model={model} tryIt={tryIt} />}</Accordion.Panel>
                  </Accordion.Item>
                );
              })}
            </Accordion>
          </section>
        );
      })}
      {search && model.tags.every((t) => filterOperations(t.operations, search).length === 0) && (
        <Text size="sm" c="dimmed">
          No operation matches “{search}”.
        </Text>
      )}

      <SchemasSection schemas={model.schemas} document={model.document} />
    </Stack>
  );
}

function OperationTitle(props: { operation: ApiOperation }) {
  const { operation } = props;
  return (
    <Group gap="sm" wrap="wrap" style={{ rowGap: 4 }}>
      <Badge color={METHOD_COLORS[operation.method]} variant="light" radius="sm" className={classes.method}>
        {operation.method.toUpperCase()}
      </Badge>
      <span className={classes.path} style={operation.deprecated ? { textDecoration: 'line-through' } : undefined}>
        {operation.path}
      </span>
      {operation.summary && (
        <Text size="sm" c="dimmed" truncate="end" className={classes.summary}>
          {operation.summary}
        </Text>
      )}
      {operation.deprecated && (
        <Badge color="gray" variant="light" size="sm" tt="none">
          deprecated
        </Badge>
      )}
    </Group>
  );
}

function OperationDetails(props: { operation: ApiOperation; model: OpenApiModel; tryIt: boolean }) {
  const { operation, model } = props;
  return (
    <Stack gap="md">
      <Markdown source={operation.description} />
      {operation.security.length > 0 && (
        <Text size="sm">
          Authentication:{' '}
          {operation.security.map((s) => (
            <Code key={s} mr={4}>
              {s}
            </Code>
          ))}
        </Text>
      )}
      {operation.parameters.length > 0 && (
        <div>
          <Title order={4} size="h6" mb={4}>
            Parameters
          </Title>
          <DataTable
            label={`Parameters of ${operation.method.toUpperCase()} ${operation.path}`}
            rows={operation.parameters}
            rowKey={(p) => `${p.in}:${p.name}`}
            minTableWidth={480}
            verticalSpacing={4}
            columns={[
              {
                id: 'name',
                header: 'Name',
                primary: true,
                cell: (p) => (
                  <>
                    <Code fw={600}>{p.name}</Code>
                    {p.required && (
                      <Text span size="xs" c="red" ml={4}>
                        required
                      </Text>
                    )}
                  </>
                ),
              },
              { id: 'in', header: 'In', cell: (p) => <Text size="sm">{p.in}</Text> },
              { id: 'type', header: 'Type', cell: (p) => <Text size="sm">{schemaSummary(p.schema, model.document)}</Text> },
              { id: 'description', header: 'Description', cell: (p) => (p.description ? <Markdown source={p.description} /> : null) },
            ]}
          />
        </div>
      )}
      {operation.requestBody && (
        <div>
          <Title order={4} size="h6" mb={4}>
            Request body{' '}
            {operation.requestBody.required ? (
              <Text span size="xs" c="red">
                required
              </Text>
            ) : null}
          </Title>
          <Markdown source={operation.requestBody.description} />
          <Contents contents={operation.requestBody.contents} model={model} />
        </div>
      )}
      <div>
        <Title order={4} size="h6" mb={4}>
          Responses
        </Title>
        <Stack gap="xs">
          {operation.responses.map((response) => (
            <div key={response.status}>
              <Group gap="xs">
                <Badge
                  variant="light"
                  color={response.status.startsWith('2') ? 'teal' : response.status.startsWith('4') || response.status.startsWith('5') ? 'red' : 'gray'}
                  radius="sm"
                >
                  {response.status}
                </Badge>
                <Text size="sm">{response.description}</Text>
              </Group>
              <Contents contents={response.contents} model={model} />
            </div>
          ))}
        </Stack>
      </div>
      {props.tryIt && <TryItPanel operation={operation} model={model} />}
    </Stack>
  );
}

function Contents(props: { contents: ApiContent[]; model: OpenApiModel }) {
  return (
    <>
      {props.contents.map((content) => (
        <details key={content.mediaType} className={classes.nested} open={props.contents.length === 1}>
          <summary>
            <Text span size="xs" c="dimmed">
              <Code>{content.mediaType}</Code> {schemaSummary(content.schema, props.model.document)}
            </Text>
          </summary>
          <SchemaView schema={content.schema} document={props.model.document} />
        </details>
      ))}
    </>
  );
}
