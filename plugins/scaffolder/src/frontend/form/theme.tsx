import { Checkbox, Input, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import type { FieldTemplateProps, ObjectFieldTemplateProps, RegistryWidgetsType, TemplatesType, WidgetProps } from '@rjsf/utils';

/**
 * A minimal Mantine theme for rjsf: labels, help and errors the way the rest of the app shows
 * them. This template is the one place a field's errors are shown (custom fields render only
 * their input), so each message appears once; the messages come from humanizeErrors.
 */
function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, required, displayLabel, rawDescription, rawErrors, rawHelp, children, hidden, schema } = props;
  const errors = [...new Set(rawErrors ?? [])];
  const ariaDescribedBy = describedBy(id, errors.length > 0, !!rawHelp);
  // Mantine's inputs set aria-describedby from their own wrapper only; point them at the error and help shown here.
  useEffect(() => {
    const input = document.getElementById(id);
    if (!input || !/^(INPUT|TEXTAREA|SELECT)$/.test(input.tagName)) return;
    if (ariaDescribedBy) input.setAttribute('aria-describedby', ariaDescribedBy);
    else input.removeAttribute('aria-describedby');
  }, [id, ariaDescribedBy]);
  if (hidden) return <div style={{ display: 'none' }}>{children}</div>;
  if (schema.type === 'object') return <Stack gap="sm">{children}</Stack>;
  return (
    <Input.Wrapper
      id={id}
      label={displayLabel && schema.type !== 'boolean' ? label : undefined}
      required={required}
      description={displayLabel && rawDescription ? rawDescription : undefined}
      error={errors.length ? errors.join(' ') : undefined}
      errorProps={{ id: `${id}__error`, 'data-testid': 'field-error' }}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      mb="sm"
    >
      {children}
      {rawHelp ? (
        <Text size="xs" c="dimmed" mt={4} id={`${id}__help`}>
          {rawHelp}
        </Text>
      ) : null}
    </Input.Wrapper>
  );
}

/** ids of a field's error and help lines, for aria-describedby on its input. */
function describedBy(id: string, hasError: boolean, hasHelp: boolean): string | undefined {
  const ids = [hasError ? `${id}__error` : '', hasHelp ? `${id}__help` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function TextWidget(props: WidgetProps) {
  const type =
    props.options['inputType'] ??
    (props.schema.type === 'number' || props.schema.type === 'integer' ? 'number' : props.schema.format === 'password' ? 'password' : 'text');
  return (
    <TextInput
      id={props.id}
      aria-label={props.label}
      type={String(type)}
      value={props.value ?? ''}
      required={props.required}
      disabled={props.disabled || props.readonly}
      // eslint-disable-next-line jsx-a11y/no-autofocus -- only when the template author asks for it (ui:autofocus)
      autoFocus={props.autofocus}
      placeholder={props.placeholder}
      error={props.rawErrors?.length ? true : undefined}
      onChange={(e) => {
        const v = e.currentTarget.value;
        props.onChange(v === '' ? props.options.emptyValue : type === 'number' ? Number(v) : v);
      }}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

function PasswordWidget(props: WidgetProps) {
  return <TextWidget {...props} options={{ ...props.options, inputType: 'password' }} />;
}

function TextareaWidget(props: WidgetProps) {
  return (
    <Textarea
      id={props.id}
      aria-label={props.label}
      value={props.value ?? ''}
      autosize
      minRows={Number(props.options['rows'] ?? 3)}
      disabled={props.disabled || props.readonly}
      error={props.rawErrors?.length ? true : undefined}
      onBlur={() => props.onBlur(props.id, props.value)}
      onChange={(e) => props.onChange(e.currentTarget.value === '' ? props.options.emptyValue : e.currentTarget.value)}
    />
  );
}

function SelectWidget(props: WidgetProps) {
  const options = (props.options.enumOptions ?? []).map((o, i) => ({ value: String(i), label: String(o.label) }));
  const index = (props.options.enumOptions ?? []).findIndex((o) => o.value === props.value);
  return (
    <NativeSelect
      id={props.id}
      aria-label={props.label}
      data={[{ value: '', label: '' }, ...options]}
      value={index >= 0 ? String(index) : ''}
      disabled={props.disabled || props.readonly}
      onChange={(e) => {
        const i = e.currentTarget.value;
        props.onChange(i === '' ? undefined : props.options.enumOptions?.[Number(i)]?.value);
      }}
    />
  );
}

function CheckboxWidget(props: WidgetProps) {
  return (
    <Checkbox
      id={props.id}
      label={props.label}
      checked={Boolean(props.value)}
      disabled={props.disabled || props.readonly}
      onChange={(e) => props.onChange(e.currentTarget.checked)}
    />
  );
}

function RadioWidget(props: WidgetProps) {
  return (
    <Stack gap={4}>
      {(props.options.enumOptions ?? []).map((o) => (
        <label key={String(o.value)} style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input type="radio" name={props.id} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
          <Text size="sm">{o.label}</Text>
        </label>
      ))}
    </Stack>
  );
}

export const widgets: RegistryWidgetsType = {
  TextWidget,
  PasswordWidget,
  TextareaWidget,
  SelectWidget,
  CheckboxWidget,
  RadioWidget,
  EmailWidget: TextWidget,
  URLWidget: TextWidget,
};

/** Properties stacked without a fieldset: the stepper already shows the page title. */
function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  return (
    <Stack gap={0}>
      {props.description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {props.description}
        </Text>
      ) : null}
      {props.properties
        .filter((p) => !p.hidden)
        .map((p) => (
          <div key={p.name}>{p.content}</div>
        ))}
    </Stack>
  );
}

export const templates: Partial<TemplatesType> = { FieldTemplate, ObjectFieldTemplate };
