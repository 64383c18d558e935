import { Accordion, Badge, Code, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { buildAsyncApiModel, type AsyncMessage } from './asyncapiModel';
import { DefinitionHeader } from './DefinitionHeader';
import { Markdown } from './Markdown';
import { parseDefinition, type JsonObject } from './openapiModel';
import { SchemasSection } from './SchemasSection';
import { SchemaView, schemaSummary } from './SchemaView';

const ACTION_HELP: Record<string, string> = {
  send: 'The application sends these messages.',
  receive: 'The application receives these messages.',
  publish: 'AsyncAPI 2: other applications publish to this channel; the application receives.',
  subscribe: 'AsyncAPI 2: other applications subscribe to this channel; the application sends.',
  channel: 'A channel no operation uses.',
};
const ACTION_COLORS: Record<string, string> = { send: 'teal', subscribe: 'teal', receive: 'blue', publish: 'blue', channel: 'gray' };

/** An AsyncAPI definition: servers, then each operation with its channel and message payloads. */
export default function AsyncApiView(props: { definition: string }) {
  const model = useMemo(() => buildAsyncApiModel(parseDefinition(props.definition)), [props.definition]);
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <DefinitionHeader title={model.title} apiVersion={model.apiVersion} version={model.version} description={model.description} />
      </Stack>
      {model.servers.length > 0 && (
        <section aria-label="Servers">
          <Title order={3} size="h4" mb="xs">
            Servers
          </Title>
          <Table verticalSpacing={4} aria-label="Servers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th>Protocol</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {model.servers.map((server) => (
                <Table.Tr key={server.name}>
                  <Table.Td fz="sm">{server.name}</Table.Td>
                  <Table.Td>
                    <Code>{server.url}</Code>
                  </Table.Td>
                  <Table.Td fz="sm">{server.protocol ?? '–'}</Table.Td>
                  <Table.Td fz="sm">{server.description ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
      <section aria-label="Operations">
        <Title order={3} size="h4" mb="xs">
          Operations ({model.operations.length})
        </Title>
        <Accordion multiple variant="separated" chevronPosition="left">
          {model.operations.map((operation) => (
            <Accordion.Item key={operation.id} value={operation.id}>
              <Accordion.Control>
                <Group gap="sm" wrap="nowrap">
                  <Tooltip label={ACTION_HELP[operation.action] ?? operation.action}>
                    <Badge color={ACTION_COLORS[operation.action] ?? 'gray'} radius="sm" miw={80}>
                      {operation.action}
                    </Badge>
                  </Tooltip>
                  <Code>{operation.channel}</Code>
                  {operation.summary && (
                    <Text size="sm" c="dimmed" truncate="end">
                      {operation.summary}
                    </Text>
                  )}
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  <Markdown source={operation.description ?? operation.channelDescription} />
                  <Text size="xs" c="dimmed">
                    Operation <Code>{operation.id}</Code> · {ACTION_HELP[operation.action] ?? ''}
                  </Text>
                  {operation.messages.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      No messages are described.
                    </Text>
                  ) : (
                    operation.messages.map((msg) => (
                      <MessageView key={msg.name} message={msg} document={model.document} defaultContentType={model.defaultContentType} />
                    ))
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      </section>
      <SchemasSection schemas={model.schemas} document={model.document} />
    </Stack>
  );
}

function MessageView(props: { message: AsyncMessage; document: JsonObject; defaultContentType?: string }) {
  const { message } = props;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} size="sm">
          {message.title ?? message.name}
        </Text>
        <Code>{message.contentType ?? props.defaultContentType ?? 'application/json'}</Code>
      </Group>
      {message.summary && <Text size="sm">{message.summary}</Text>}
      <Markdown source={message.description} />
      {message.headers && (
        <details>
          <summary>
            <Text span size="xs" c="dimmed">
              Headers
            </Text>
          </summary>
          <SchemaView schema={message.headers} document={props.document} />
        </details>
      )}
      <details open>
        <summary>
          <Text span size="xs" c="dimmed">
            Payload: {schemaSummary(message.payload, props.document)}
          </Text>
        </summary>
        <SchemaView schema={message.payload} document={props.document} />
      </details>
    </Stack>
  );
}
