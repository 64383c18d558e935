import { Input, PasswordInput, Select, SimpleGrid, TagsInput, TextInput } from '@mantine/core';
import type { FieldProps, RegistryFieldsType } from '@rjsf/utils';
import { useMemo, useState } from 'react';
import { useEntityOptions, useTagFacets } from '../api';
import { refOf } from '../refs';

type Options = {
  catalogFilter?: Record<string, unknown> | Array<Record<string, unknown>>;
  allowedKinds?: string[];
  defaultKind?: string;
  defaultNamespace?: string;
  allowArbitraryValues?: boolean;
  allowedHosts?: string[];
  allowedOwners?: string[];
  allowedRepos?: string[];
  kinds?: string[];
  showCounts?: boolean;
  helperText?: string;
};

const optionsOf = (props: FieldProps): Options => (props.uiSchema?.['ui:options'] ?? {}) as Options;

/**
 * Label and description of a custom field. Its errors and ui:help are shown once, by the
 * form's FieldTemplate around it (rjsf gives custom fields no label of their own).
 */
function Wrapper(props: FieldProps & { children: React.ReactNode }) {
  return (
    <Input.Wrapper label={props.schema.title ?? props.name} description={props.schema.description} required={props.required}>
      {props.children}
    </Input.Wrapper>
  );
}

/** Props every custom field's input shares: id (FieldTemplate points aria-describedby at its error), error outline, blur for live validation. */
function inputProps(props: FieldProps) {
  const id = props.fieldPathId.$id;
  const hasError = !!props.rawErrors?.length;
  return {
    id,
    'aria-label': String(props.schema.title ?? props.name),
    error: hasError ? true : undefined,
    onBlur: () => props.onBlur(id, props.formData),
  };
}

/** Backstage's `catalogFilter` ({kind: [..], 'spec.type': x}) as a catalog predicate. */
function filterToPredicate(filter: Options['catalogFilter']): { kinds?: string[]; extra?: Record<string, unknown> } {
  const first = Array.isArray(filter) ? filter[0] : filter;
  if (!first) return {};
  const { kind, ...rest } = first as Record<string, unknown>;
  const kinds = kind === undefined ? undefined : (Array.isArray(kind) ? kind : [kind]).map(String);
  const matchers = Object.entries(rest).map(([k, v]) => (Array.isArray(v) ? { [k]: { $in: v } } : { [k]: v }));
  return { ...(kinds ? { kinds } : {}), ...(matchers.length ? { extra: matchers.length === 1 ? matchers[0]! : { $all: matchers } } : {}) };
}

function EntitySelect(props: FieldProps & { kinds?: string[]; extra?: Record<string, unknown>; filterOwned?: boolean }) {
  const opts = optionsOf(props);
  const query = useEntityOptions(props.kinds, props.extra);
  const data = useMemo(() => {
    const items = (query.data ?? []).map((e) => ({ value: refOf(e), label: e.metadata.title ? `${e.metadata.title} (${refOf(e)})` : refOf(e) }));
    const value = props.formData as string | undefined;
    if (value && !items.some((i) => i.value === value)) items.unshift({ value, label: value });
    return items;
  }, [query.data, props.formData]);
  const [search, setSearch] = useState('');
  const arbitrary = opts.allowArbitraryValues !== false;
  const withTyped = arbitrary && search && !data.some((d) => d.value === search || d.label === search) ? [...data, { value: search, label: search }] : data;
  return (
    <Wrapper {...props}>
      <Select
        {...inputProps(props)}
        data={withTyped}
        value={(props.formData as string | undefined) ?? null}
        searchable
        clearable
        searchValue={search}
        onSearchChange={setSearch}
        nothingFoundMessage={query.isPending ? 'Loading…' : 'No matching entities'}
        placeholder={query.isPending ? 'Loading entities…' : 'Select or type an entity'}
        disabled={props.disabled || props.readonly}
        onChange={(v) => props.onChange(v ?? undefined, props.fieldPathId.path)}
      />
    </Wrapper>
  );
}

function EntityPicker(props: FieldProps) {
  const opts = optionsOf(props);
  const { kinds, extra } = filterToPredicate(opts.catalogFilter ?? (opts.allowedKinds ? { kind: opts.allowedKinds } : undefined));
  return <EntitySelect {...props} {...(kinds ? { kinds } : {})} {...(extra ? { extra } : {})} />;
}

function OwnerPicker(props: FieldProps) {
  const opts = optionsOf(props);
  const { kinds, extra } = filterToPredicate(opts.catalogFilter ?? { kind: opts.allowedKinds ?? ['Group', 'User'] });
  return <EntitySelect {...props} kinds={kinds ?? ['group', 'user']} {...(extra ? { extra } : {})} />;
}

/** Entities owned by the signed-in user (or their groups); as everyone is the guest for now, owned by `user:default/guest`. */
function OwnedEntityPicker(props: FieldProps) {
  const opts = optionsOf(props);
  const { kinds } = filterToPredicate(opts.catalogFilter ?? (opts.allowedKinds ? { kind: opts.allowedKinds } : undefined));
  return <EntitySelect {...props} {...(kinds ? { kinds } : {})} extra={{ 'relations.ownedBy': 'user:default/guest' }} />;
}

function EntityTagsPicker(props: FieldProps) {
  const tags = useTagFacets();
  return (
    <Wrapper {...props}>
      <TagsInput
        {...inputProps(props)}
        data={tags.data ?? []}
        value={(props.formData as string[] | undefined) ?? []}
        onChange={(v) =>
          props.onChange(
            v.map((t) => t.toLowerCase()),
            props.fieldPathId.path,
          )
        }
        placeholder="Add tags"
        clearable
      />
    </Wrapper>
  );
}

function EntityNamePicker(props: FieldProps) {
  return (
    <Wrapper {...props}>
      <TextInput
        {...inputProps(props)}
        value={(props.formData as string | undefined) ?? ''}
        onChange={(e) => props.onChange(e.currentTarget.value || undefined, props.fieldPathId.path)}
        placeholder="lowercase-with-dashes"
      />
    </Wrapper>
  );
}

/** `host?owner=o&repo=r` from a host (allowedHosts), an owner and a repository name, as Backstage writes it. */
export function parseRepoPickerValue(value: string | undefined): { host: string; owner: string; repo: string } {
  if (!value) return { host: '', owner: '', repo: '' };
  const [host = '', query = ''] = value.split('?');
  const params = new URLSearchParams(query);
  return { host, owner: params.get('owner') ?? params.get('organization') ?? '', repo: params.get('repo') ?? '' };
}

export function formatRepoPickerValue(v: { host: string; owner: string; repo: string }): string | undefined {
  if (!v.host && !v.owner && !v.repo) return undefined;
  const params = new URLSearchParams();
  if (v.owner) params.set('owner', v.owner);
  if (v.repo) params.set('repo', v.repo);
  return `${v.host}?${params.toString()}`;
}

function RepoUrlPicker(props: FieldProps) {
  const opts = optionsOf(props);
  const hosts = opts.allowedHosts?.length ? opts.allowedHosts : ['github.com', 'gitlab.com'];
  const current = parseRepoPickerValue(props.formData as string | undefined);
  const value = { ...current, host: current.host || hosts[0]! };
  const set = (patch: Partial<typeof value>) => props.onChange(formatRepoPickerValue({ ...value, ...patch }), props.fieldPathId.path);
  return (
    <Wrapper {...props}>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" onBlur={() => props.onBlur(props.fieldPathId.$id, props.formData)}>
        <Select aria-label="Host" data={hosts} value={value.host} onChange={(h) => set({ host: h ?? hosts[0]! })} allowDeselect={false} />
        {opts.allowedOwners?.length ? (
          <Select aria-label="Owner" data={opts.allowedOwners} value={value.owner || null} onChange={(o) => set({ owner: o ?? '' })} placeholder="Owner" />
        ) : (
          <TextInput aria-label="Owner" placeholder="Owner" value={value.owner} onChange={(e) => set({ owner: e.currentTarget.value })} />
        )}
        {opts.allowedRepos?.length ? (
          <Select
            aria-label="Repository"
            data={opts.allowedRepos}
            value={value.repo || null}
            onChange={(r) => set({ repo: r ?? '' })}
            placeholder="Repository"
          />
        ) : (
          <TextInput aria-label="Repository" placeholder="Repository" value={value.repo} onChange={(e) => set({ repo: e.currentTarget.value })} />
        )}
      </SimpleGrid>
    </Wrapper>
  );
}

/** Backstage's Secret field: the value is sent as a task secret (encrypted, masked in logs), not a parameter. */
function SecretField(props: FieldProps) {
  return (
    <Wrapper {...props}>
      <PasswordInput
        {...inputProps(props)}
        value={(props.formData as string | undefined) ?? ''}
        onChange={(e) => props.onChange(e.currentTarget.value || undefined, props.fieldPathId.path)}
        autoComplete="off"
      />
    </Wrapper>
  );
}

/** Names of the fields whose values go to `secrets` (ui:field Secret), across all pages. */
export function secretFieldNames(steps: Array<{ schema: Record<string, unknown> }>): string[] {
  const out: string[] = [];
  for (const step of steps) {
    for (const [name, prop] of Object.entries((step.schema['properties'] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (prop?.['ui:field'] === 'Secret') out.push(name);
    }
  }
  return out;
}

export const customFields: RegistryFieldsType = {
  Secret: SecretField,
  EntityPicker,
  OwnerPicker,
  OwnedEntityPicker,
  EntityTagsPicker,
  EntityNamePicker,
  RepoUrlPicker,
  MultiEntityPicker: EntityPicker,
  MyGroupsPicker: OwnerPicker,
};
