import { Button, Group, Stepper, Table, Text } from '@mantine/core';
import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { schemaValidator } from './schemaValidator';
import { useMemo, useState } from 'react';
import { customFields } from './fields';
import { templates, widgets } from './theme';
import { extractUiSchema } from './uiSchema';
import { humanizeErrors } from './validationMessages';

export interface FormStep {
  title: string;
  description?: string;
  schema: Record<string, unknown>;
}

export interface TemplateFormProps {
  steps: FormStep[];
  initialValues?: Record<string, unknown>;
  presentation?: { buttonLabels?: { backButtonText?: string; createButtonText?: string; reviewButtonText?: string } };
  submitting?: boolean;
  /** The caller may not run it (the page says why): the final button is disabled. */
  submitDisabled?: boolean;
  onSubmit(values: Record<string, unknown>): void;
  /** Shown on the review page instead of "Create". */
  submitLabel?: string;
}

/**
 * A template's parameter pages as a stepper of rjsf forms (live validation per page), then a
 * review page listing the values before running. Values of every page are kept together.
 */
export function TemplateForm(props: TemplateFormProps) {
  const pages = useMemo(() => props.steps.map((s) => ({ ...s, ...extractUiSchema({ type: 'object', ...s.schema }) })), [props.steps]);
  const [active, setActive] = useState(0);
  const [values, setValues] = useState<Record<string, unknown>>(props.initialValues ?? {});
  const labels = props.presentation?.buttonLabels ?? {};
  const reviewIndex = pages.length;

  return (
    <Stepper active={active} onStepClick={(i) => i < active && setActive(i)} allowNextStepsSelect={false} size="sm">
      {pages.map((page, i) => (
        <Stepper.Step key={i} label={page.title} description={page.description}>
          <Form
            schema={page.schema as RJSFSchema}
            uiSchema={{ ...page.uiSchema, 'ui:submitButtonOptions': { norender: true } }}
            formData={values}
            validator={schemaValidator}
            fields={customFields}
            widgets={widgets}
            templates={templates}
            showErrorList={false}
            focusOnFirstError
            onError={() => undefined}
            transformErrors={(errors) => humanizeErrors(errors, page.schema, page.uiSchema)}
            liveValidate="onBlur"
            noHtml5Validate
            onChange={(e) => setValues((prev) => ({ ...prev, ...(e.formData as Record<string, unknown>) }))}
            onSubmit={(e) => {
              setValues((prev) => ({ ...prev, ...(e.formData as Record<string, unknown>) }));
              setActive(i + 1);
            }}
          >
            <Group mt="md">
              {i > 0 && (
                <Button variant="default" onClick={() => setActive(i - 1)}>
                  {labels.backButtonText ?? 'Back'}
                </Button>
              )}
              <Button type="submit">{i === pages.length - 1 ? (labels.reviewButtonText ?? 'Review') : 'Next'}</Button>
            </Group>
          </Form>
        </Stepper.Step>
      ))}
      <Stepper.Step label="Review">
        <ReviewTable pages={pages} values={values} />
        <Group mt="md">
          {pages.length > 0 && (
            <Button variant="default" onClick={() => setActive(reviewIndex - 1)}>
              {labels.backButtonText ?? 'Back'}
            </Button>
          )}
          <Button loading={props.submitting} disabled={props.submitDisabled} onClick={() => props.onSubmit(values)}>
            {props.submitLabel ?? labels.createButtonText ?? 'Create'}
          </Button>
        </Group>
      </Stepper.Step>
    </Stepper>
  );
}

function ReviewTable(props: { pages: Array<{ schema: Record<string, unknown>; uiSchema: Record<string, unknown> }>; values: Record<string, unknown> }) {
  const rows: Array<{ key: string; label: string; value: string }> = [];
  for (const page of props.pages) {
    const properties = (page.schema['properties'] ?? {}) as Record<string, { title?: string; format?: string }>;
    for (const [key, prop] of Object.entries(properties)) {
      if (!(key in props.values)) continue;
      const ui = (page.uiSchema[key] ?? {}) as { 'ui:widget'?: string; 'ui:backstage'?: { review?: { show?: boolean; mask?: string } } };
      const review = ui['ui:backstage']?.review;
      if (review?.show === false) continue;
      const raw = props.values[key];
      const secret = ui['ui:widget'] === 'password' || prop.format === 'password' || (ui as { 'ui:field'?: string })['ui:field'] === 'Secret';
      const masked = review?.mask ?? (secret ? '******' : undefined);
      rows.push({ key, label: prop.title ?? key, value: masked ?? (typeof raw === 'string' ? raw : JSON.stringify(raw)) });
    }
  }
  if (!rows.length) return <Text c="dimmed">This template takes no parameters.</Text>;
  return (
    <Table withTableBorder striped aria-label="Review">
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Th w="35%">{r.label}</Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }}>{r.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
