import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { DefinitionError } from '../common';

/** Definitions the plugin rejected, each with its source, scorecard or initiative, rule and reason. */
export function DefinitionErrors(props: { errors: DefinitionError[]; title?: string }) {
  if (!props.errors.length) return null;
  return (
    <Alert color="red" title={props.title ?? `${props.errors.length} definition(s) rejected`}>
      <Stack gap={2}>
        {props.errors.map((e, i) => (
          <Text size="sm" key={i} style={{ overflowWrap: 'anywhere' }}>
            <b>{e.scorecard ?? e.initiative}</b>
            {e.rule ? ` / rule ${e.rule}` : ''} ({e.source}): {e.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** Downloads a scorecard's results as CSV. */
export function CsvButton(props: { scorecardId: string }) {
  return (
    <Button
      component="a"
      href={`/api/scorecards/export.csv?scorecard=${encodeURIComponent(props.scorecardId)}`}
      variant="default"
      size="xs"
      leftSection={<IconDownload size={14} />}
    >
      CSV
    </Button>
  );
}
