import { CodeBlock } from '@atrium/ui';
import { Badge, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { sampleFromSchema, type ApiOperation, type OpenApiModel } from './openapiModel';

interface TryResult {
  status: number;
  statusText: string;
  ms: number;
  body: string;
}

/** Fills path, query and header parameters into a request URL and headers. */
export function buildTryRequest(server: string, operation: ApiOperation, values: Record<string, string>): { url: string; headers: Record<string, string> } {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of operation.parameters) {
    const value = values[`${p.in}:${p.name}`];
    if (value === undefined || value === '') continue;
    if (p.in === 'path') path = path.replaceAll(`{${p.name}}`, encodeURIComponent(value));
    else if (p.in === 'query') query.set(p.name, value);
    else if (p.in === 'header') headers[p.name] = value;
  }
  const qs = query.toString();
  return { url: `${server.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`, headers };
}

/** "Try it out" for one operation: off unless the user turns it on for the page. */
export function TryItPanel(props: { operation: ApiOperation; model: OpenApiModel }) {
  const { operation, model } = props;
  const [server, setServer] = useState(model.servers[0]?.url ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const json = operation.requestBody?.contents.find((c) => c.mediaType.includes('json'));
  const [body, setBody] = useState(() => (json ? JSON.stringify(json.example ?? sampleFromSchema(json.schema, model.document), null, 2) : ''));
  const [result, setResult] = useState<TryResult>();
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const editable = operation.parameters.filter((p) => ['path', 'query', 'header'].includes(p.in));

  const send = async () => {
    setSending(true);
    setError(undefined);
    setResult(undefined);
    const { url, headers } = buildTryRequest(server, operation, values);
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: operation.method.toUpperCase(),
        headers: { ...headers, ...(operation.requestBody && body ? { 'content-type': json?.mediaType ?? 'application/json' } : {}) },
        body: operation.requestBody && body && !['get', 'head'].includes(operation.method) ? body : undefined,
      });
      const text = await response.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON: show it as it came.
      }
      setResult({ status: response.status, statusText: response.statusText, ms: Math.round(performance.now() - started), body: pretty });
    } catch (reason) {
      setError(
        `${reason instanceof Error ? reason.message : String(reason)}. The server may be unreachable from your browser, or it does not allow requests from this page (CORS).`,
      );
    } finally {
      setSending(false);
    }
  };

  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="xs">
        <Title order={4} size="h6">
          Try it out
        </Title>
        {model.servers.length > 0 ? (
          <Select label="Server" data={model.servers.map((s) => s.url)} value={server} onChange={(v) => setServer(v ?? '')} allowDeselect={false} />
        ) : (
          <TextInput label="Server URL" placeholder="https://api.example.com" value={server} onChange={(e) => setServer(e.currentTarget.value)} />
        )}
        {editable.map((p) => (
          <TextInput
            key={`${p.in}:${p.name}`}
            label={`${p.name} (${p.in})`}
            required={p.required}
            value={values[`${p.in}:${p.name}`] ?? ''}
            placeholder={p.example !== undefined ? String(p.example) : undefined}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setValues((current) => ({ ...current, [`${p.in}:${p.name}`]: value }));
            }}
          />
        ))}
        {operation.requestBody && (
          <Textarea
            label={`Body (${json?.mediaType ?? operation.requestBody.contents[0]?.mediaType ?? 'text'})`}
            autosize
            minRows={4}
            maxRows={16}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        )}
        <Group>
          <Button size="xs" leftSection={<IconSend size={14} aria-hidden />} loading={sending} disabled={!server} onClick={() => void send()}>
            Send request
          </Button>
          <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {operation.method.toUpperCase()} {buildTryRequest(server, operation, values).url}
          </Text>
        </Group>
        <div role="status" aria-live="polite">
          {error && (
            <Text size="sm" c="red">
              {error}
            </Text>
          )}
          {result && (
            <Stack gap={4}>
              <Group gap="xs">
                <Badge color={result.status < 400 ? 'teal' : 'red'} radius="sm">
                  {result.status} {result.statusText}
                </Badge>
                <Text size="xs" c="dimmed">
                  {result.ms} ms
                </Text>
              </Group>
              <CodeBlock code={result.body || '(empty body)'} label="Response body" maxHeight="320px" />
            </Stack>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
