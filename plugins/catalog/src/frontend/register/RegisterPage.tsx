import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { AnalyzeLocationResponse, LocationType } from '@atrium/plugin-catalog/common';
import { EntityRefLink, ErrorState, PageLayout } from '@atrium/ui';
import { Alert, Anchor, Button, Group, List, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconFileSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import * as api from '../api/catalogApi';
import { useInvalidateCatalog } from '../api/queries';
import { entityDisplayName } from '../components/entityDisplay';
import { GeneratedDescriptor } from './GeneratedDescriptor';
import { PreviewTable } from './PreviewTable';
import { describedEntities } from './describedEntities';
import { locationTypeOf } from './locationInput';

export interface Analysis {
  location: { type: LocationType; target: string };
  analysis: AnalyzeLocationResponse;
  /** From the dry run: what importing would produce, after full processing. */
  entities: Entity[];
  /** The dry run's complaint, when the descriptor has problems. */
  problem?: unknown;
  exists: boolean;
}

/**
 * /catalog-import: register a repository's catalog-info.yaml. Analyze (what is there, would it
 * import cleanly), review, import — Backstage's flow, with the dry run's errors shown before
 * anything is stored.
 */
export default function RegisterPage() {
  const invalidate = useInvalidateCatalog();
  const [input, setInput] = useState('');
  const [review, setReview] = useState<Analysis>();

  const analyze = useMutation({
    mutationFn: async (raw: string): Promise<Analysis> => {
      const location = { type: locationTypeOf(raw), target: raw.trim() };
      const analysis = await api.analyzeLocation(location);
      const found = analysis.existingEntityFiles[0]?.location;
      const resolved = found ? { type: found.type as LocationType, target: found.target } : location;
      if (analysis.existingEntityFiles.length === 0) return { location: resolved, analysis, entities: [], exists: false };
      try {
        const dryRun = await api.addLocation(resolved, { dryRun: true });
        return { location: resolved, analysis, entities: describedEntities(dryRun.entities), exists: dryRun.exists === true };
      } catch (problem) {
        return {
          location: resolved,
          analysis,
          entities: describedEntities(analysis.existingEntityFiles.map((f) => f.entity)),
          problem,
          exists: analysis.existingEntityFiles.some((f) => f.isRegistered),
        };
      }
    },
    onSuccess: setReview,
  });

  const register = useMutation({
    mutationFn: (plan: Analysis) => api.addLocation(plan.location, { onConflict: plan.exists ? 'refresh' : 'reject' }),
    onSuccess: () => invalidate(),
  });

  const step = register.isSuccess ? 2 : review ? 1 : 0;
  const reset = () => {
    setReview(undefined);
    analyze.reset();
    register.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim()) analyze.mutate(input);
  };

  return (
    <PageLayout
      title="Register an existing component"
      subtitle="Point Atrium at a repository’s catalog-info.yaml. You will see what it describes before anything is imported."
      actions={
        <Button component={Link} to="/catalog/locations" variant="default">
          Registered locations
        </Button>
      }
    >
      <Stepper active={step} allowNextStepsSelect={false} size="sm" maw={980}>
        <Stepper.Step label="Location" description="Where the descriptor is">
          <form onSubmit={submit} noValidate>
            <Stack gap="sm" mt="md" maw={720}>
              <TextInput
                label="URL of a catalog-info.yaml or repository"
                description="A file URL such as https://github.com/acme/orders/blob/main/catalog-info.yaml, a repository URL (catalog-info.yaml at its root is used), or an absolute path on the server when the admin allows file locations."
                placeholder="https://github.com/acme/orders/blob/main/catalog-info.yaml"
                value={input}
                onChange={(event) => setInput(event.currentTarget.value)}
                required
                data-autofocus
                autoComplete="off"
              />
              <Group>
                <Button type="submit" loading={analyze.isPending} disabled={!input.trim()} leftSection={<IconFileSearch size={16} aria-hidden />}>
                  Analyze
                </Button>
              </Group>
              {analyze.error ? <ErrorState error={analyze.error} title="Could not read that location" /> : null}
            </Stack>
          </form>
        </Stepper.Step>
        <Stepper.Step label="Review" description="What will be imported">
          {review && (
            <ReviewStep review={review} onBack={reset} onImport={() => register.mutate(review)} importing={register.isPending} error={register.error} />
          )}
        </Stepper.Step>
        <Stepper.Completed>
          {register.data && review && (
            <Stack gap="sm" mt="md">
              <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={review.exists ? 'Location refreshed' : 'Registered'}>
                <Text size="sm">
                  {review.location.target} {review.exists ? 'was read again' : 'is now registered'}; the catalog provides{' '}
                  {describedEntities(register.data.entities).length} {describedEntities(register.data.entities).length === 1 ? 'entity' : 'entities'} from it
                  and re-reads it regularly.
                </Text>
              </Alert>
              <List size="sm" spacing={4} aria-label="Imported entities">
                {describedEntities(register.data.entities).map((entity) => (
                  <List.Item key={stringifyEntityRef(entity)}>
                    {entity.kind} <EntityRefLink entityRef={stringifyEntityRef(entity)} title={entityDisplayName(entity)} size="sm" />
                  </List.Item>
                ))}
              </List>
              <Group>
                <Button
                  variant="default"
                  onClick={() => {
                    reset();
                    setInput('');
                  }}
                >
                  Register another
                </Button>
                <Button component={Link} to={`/catalog?kind=all&location=${encodeURIComponent(`${review.location.type}:${review.location.target}`)}`}>
                  View in the catalog
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
    </PageLayout>
  );
}

function ReviewStep(props: { review: Analysis; onBack: () => void; onImport: () => void; importing: boolean; error: unknown }) {
  const { review } = props;
  const generated = review.analysis.generateEntities[0];
  if (review.analysis.existingEntityFiles.length === 0) {
    return (
      <Stack gap="sm" mt="md">
        <Alert color="yellow" variant="light" title="No catalog-info.yaml found">
          <Text size="sm">
            There is no descriptor at <code>{review.location.target}</code>. Add one to the repository (a starting point is below), then register its URL.
          </Text>
        </Alert>
        {generated && <GeneratedDescriptor suggestion={generated} />}
        <Group>
          <Button variant="default" onClick={props.onBack}>
            Back
          </Button>
        </Group>
      </Stack>
    );
  }
  const blocked = review.problem !== undefined;
  return (
    <Stack gap="sm" mt="md">
      <Text size="sm">
        <strong>{review.location.target}</strong> describes {review.entities.length} {review.entities.length === 1 ? 'entity' : 'entities'}:
      </Text>
      <PreviewTable entities={review.entities} />
      {review.exists && (
        <Alert color="blue" variant="light" title="Already registered">
          <Text size="sm">
            This location is registered already. Importing again reads it now instead of waiting for the next refresh. See{' '}
            <Anchor component={Link} to="/catalog/locations" size="sm">
              registered locations
            </Anchor>
            .
          </Text>
        </Alert>
      )}
      {blocked && <ErrorState error={review.problem} title="The descriptor has problems; fix them in the repository before importing" />}
      {props.error ? <ErrorState error={props.error} title="Import failed" /> : null}
      <Group>
        <Button variant="default" onClick={props.onBack}>
          Back
        </Button>
        <Button onClick={props.onImport} loading={props.importing} disabled={blocked}>
          {review.exists ? 'Refresh now' : 'Import'}
        </Button>
      </Group>
    </Stack>
  );
}
