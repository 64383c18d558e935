import type { AnalyzeLocationResponse } from '@atrium/plugin-catalog/common';
import { CodeBlock } from '@atrium/ui';
import { Stack, TextInput } from '@mantine/core';
import { dump } from 'js-yaml';
import { useState } from 'react';

type Suggestion = AnalyzeLocationResponse['generateEntities'][number];

/** A catalog-info.yaml to start from, built from the analysis, with the fields it could not guess to fill in. */
export function GeneratedDescriptor(props: { suggestion: Suggestion }) {
  const fields = props.suggestion.fields;
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.field, f.value ?? ''])));
  const entity = structuredClone(props.suggestion.entity) as Record<string, unknown>;
  for (const [path, value] of Object.entries(values)) {
    if (!value) continue;
    const parts = path.split('.');
    let target = entity;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]!] = value;
  }
  const yaml = dump(entity, { lineWidth: 100 });
  return (
    <Stack gap="xs">
      {fields.map((field) => (
        <TextInput
          key={field.field}
          label={field.field}
          description={field.description}
          required={field.state === 'needsUserInput'}
          value={values[field.field] ?? ''}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setValues((current) => ({ ...current, [field.field]: value }));
          }}
          maw={520}
        />
      ))}
      <CodeBlock code={yaml} label="Suggested catalog-info.yaml" copyLabel="Copy catalog-info.yaml" />
    </Stack>
  );
}
