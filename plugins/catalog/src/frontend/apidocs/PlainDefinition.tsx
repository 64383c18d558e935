import { Button, Code, CopyButton, Group, ScrollArea, Stack, Text } from '@mantine/core';

/** Any definition as text: the fallback for types without a renderer (gRPC, tRPC, …) and the "Raw" view. */
export default function PlainDefinition(props: { definition: string; language?: string }) {
  const lines = props.definition.split('\n').length;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {props.language ? `${props.language} · ` : ''}
          {lines} lines
        </Text>
        <CopyButton value={props.definition}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ScrollArea.Autosize mah="75vh" type="auto">
        <Code block style={{ whiteSpace: 'pre', fontSize: 'var(--mantine-font-size-xs)' }} tabIndex={0} aria-label="API definition">
          {props.definition}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}
