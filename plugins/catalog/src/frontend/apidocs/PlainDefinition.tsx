import { CodeBlock } from '@atrium/ui';
import { Stack, Text } from '@mantine/core';

/** Any definition as text: the fallback for types without a renderer (gRPC, tRPC, …) and the "Raw" view. */
export default function PlainDefinition(props: { definition: string; language?: string }) {
  const lines = props.definition.split('\n').length;
  return (
    <Stack gap="xs">
      <CodeBlock
        code={props.definition}
        label="API definition"
        maxHeight="75vh"
        copyLabel="Copy"
        caption={
          <Text size="sm" c="dimmed">
            {props.language ? `${props.language} · ` : ''}
            {lines} lines
          </Text>
        }
      />
    </Stack>
  );
}
