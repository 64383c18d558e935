import { Badge, Code, Grid, Group, NavLink, Paper, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import classes from './apidocs.module.css';
import { buildGraphqlModel, isExplorable, typeView, type GqlTypeSummary, type GraphqlModel } from './graphqlModel';

const KIND_LABELS: Record<GqlTypeSummary['kind'], string> = {
  object: 'type',
  interface: 'interface',
  union: 'union',
  enum: 'enum',
  input: 'input',
  scalar: 'scalar',
};

/**
 * A GraphQL schema explorer: every type in a searchable list, and the chosen type's fields
 * with arguments; a field's type opens that type. The chosen type is in the URL (`?type=`).
 */
export default function GraphqlView(props: { definition: string }) {
  const model = useMemo(() => buildGraphqlModel(props.definition), [props.definition]);
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState('');
  const requested = params.get('type');
  const selected = requested && isExplorable(model, requested) ? requested : (model.types[0]?.name ?? '');
  const open = (name: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('type', name);
        return next;
      },
      { preventScrollReset: true },
    );
  const visible = model.types.filter((t) => t.name.toLowerCase().includes(search.trim().toLowerCase()));

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="xs" radius="md" component="nav" aria-label="GraphQL types">
          <TextInput
            aria-label="Find a type"
            placeholder={`Find among ${model.types.length} types`}
            leftSection={<IconSearch size={14} aria-hidden />}
            size="xs"
            mb="xs"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
          <ul className={classes.typeList}>
            {visible.map((type) => (
              <li key={type.name}>
                <NavLink
                  component="button"
                  type="button"
                  active={type.name === selected}
                  aria-current={type.name === selected ? 'true' : undefined}
                  onClick={() => open(type.name)}
                  label={type.name}
                  description={type.root ? `${type.root} root` : KIND_LABELS[type.kind]}
                  py={4}
                  styles={{ description: { color: 'var(--mantine-color-dimmed)' } }}
                />
              </li>
            ))}
          </ul>
          {visible.length === 0 && (
            <Text size="xs" c="dimmed" p="xs">
              No type matches.
            </Text>
          )}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <TypeDetails model={model} name={selected} onOpen={open} />
      </Grid.Col>
    </Grid>
  );
}

function TypeLink(props: { model: GraphqlModel; printed: string; name: string; onOpen: (name: string) => void }) {
  if (!isExplorable(props.model, props.name)) return <Code>{props.printed}</Code>;
  return (
    <UnstyledButton onClick={() => props.onOpen(props.name)} aria-label={`Open type ${props.name}`}>
      <Code c="var(--mantine-color-anchor)">{props.printed}</Code>
    </UnstyledButton>
  );
}

function TypeDetails(props: { model: GraphqlModel; name: string; onOpen: (name: string) => void }) {
  const view = typeView(props.model, props.name);
  if (!view) return <Text c="dimmed">The schema defines no types.</Text>;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Title order={3} size="h4">
          {view.name}
        </Title>
        <Badge variant="light" tt="none">
          {view.root ? `${view.root} root` : KIND_LABELS[view.kind]}
        </Badge>
      </Group>
      {view.description && <Text size="sm">{view.description}</Text>}
      {view.interfaces.length > 0 && (
        <Group gap={6}>
          <Text size="sm">Implements</Text>
          {view.interfaces.map((name) => (
            <TypeLink key={name} model={props.model} printed={name} name={name} onOpen={props.onOpen} />
          ))}
        </Group>
      )}
      {view.possibleTypes.length > 0 && (
        <Group gap={6}>
          <Text size="sm">{view.kind === 'union' ? 'One of' : 'Implemented by'}</Text>
          {view.possibleTypes.map((name) => (
            <TypeLink key={name} model={props.model} printed={name} name={name} onOpen={props.onOpen} />
          ))}
        </Group>
      )}
      {view.fields.length > 0 && (
        <Table verticalSpacing={6} aria-label={`Fields of ${view.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.fields.map((field) => (
              <Table.Tr key={field.name}>
                <Table.Td>
                  <Code fw={600} style={field.deprecationReason ? { textDecoration: 'line-through' } : undefined}>
                    {field.name}
                  </Code>
                  {field.args.length > 0 && (
                    <Stack gap={2} mt={4} pl="xs">
                      {field.args.map((arg) => (
                        <Text key={arg.name} size="xs">
                          <Code>{arg.name}</Code>: <TypeLink model={props.model} printed={arg.type} name={arg.typeName} onOpen={props.onOpen} />
                          {arg.defaultValue !== undefined && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              = {arg.defaultValue}
                            </Text>
                          )}
                        </Text>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
                <Table.Td>
                  <TypeLink model={props.model} printed={field.type} name={field.typeName} onOpen={props.onOpen} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{field.description ?? ''}</Text>
                  {field.deprecationReason && (
                    <Text size="xs" c="orange">
                      Deprecated: {field.deprecationReason}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {view.enumValues.length > 0 && (
        <Table verticalSpacing={6} aria-label={`Values of ${view.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Value</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.enumValues.map((value) => (
              <Table.Tr key={value.name}>
                <Table.Td>
                  <Code>{value.name}</Code>
                </Table.Td>
                <Table.Td fz="sm">
                  {value.description ?? ''}
                  {value.deprecationReason ? ` (deprecated: ${value.deprecationReason})` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {view.kind === 'scalar' && (
        <Text size="sm" c="dimmed">
          A custom scalar: its format is described above, not by the schema.
        </Text>
      )}
    </Stack>
  );
}
