import { stringifyEntityRef } from '@atrium/catalog-model';
import { isApiError, permissionDeniedText, usePermission } from '@atrium/frontend-plugin-api';
import { EntityRefLinks, entityRoutePath, ErrorState, LoadingState, PageLayout, SectionCard } from '@atrium/ui';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { createTask, useParameterSchema } from '../api';
import { isNotFound, NotFoundPage } from '../components/NotFound';
import { TemplateRunProblems } from '../components/TemplateProblems';
import { secretFieldNames } from '../form/fields';
import { TemplateForm } from '../form/TemplateForm';
import { useTemplateEntity, useTemplateRunCheck, type TemplateRunCheck } from '../templateProblems';

/** /create/templates/:namespace/:name: the template's form, a review page, then the task. */
export default function TemplateFormPage() {
  const { namespace = 'default', name = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const query = useParameterSchema(namespace, name);
  const templateRef = stringifyEntityRef({ kind: 'template', namespace, name });
  const canRun = usePermission({ permission: 'scaffolder.task.create', resourceRef: templateRef });
  const runDenied = permissionDeniedText(canRun, 'run this template');
  // A template the catalog's checks flag (its steps cannot run) is refused up front, with the reasons.
  const entity = useTemplateEntity(namespace, name);
  const checked = useTemplateRunCheck(entity.isFetchedAfterMount ? entity.data : undefined);
  // When the entity cannot be read here, nothing is known against running it: the server decides.
  // Until it is read afresh, what the cache holds may be out of date: still checking.
  const runCheck: TemplateRunCheck = entity.isError ? { state: 'runnable' } : checked;
  // `?formData={...}` pre-fills the form (start over, and day-2 actions from an entity page).
  const initial = useMemo(() => {
    try {
      const raw = search.get('formData');
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }, [search]);
  const create = useMutation({
    mutationFn: (all: Record<string, unknown>) => {
      // Secret fields travel as task secrets (encrypted at rest, masked in logs), as in Backstage.
      const secretNames = secretFieldNames(query.data?.steps ?? []);
      const values: Record<string, unknown> = {};
      const secrets: Record<string, string> = {};
      for (const [k, v] of Object.entries(all)) {
        if (secretNames.includes(k)) {
          if (typeof v === 'string' && v) secrets[k] = v;
        } else values[k] = v;
      }
      return createTask({ templateRef, values, ...(Object.keys(secrets).length ? { secrets } : {}) });
    },
    onSuccess: (r) => void navigate(`/create/tasks/${r.id}`),
  });

  if (query.data === undefined) {
    if (isNotFound(query.error)) {
      return (
        <NotFoundPage
          title="Template not found"
          message="There is no such template"
          description={`The catalog has no template “${namespace === 'default' ? name : `${namespace}/${name}`}”. It may have been renamed or unregistered; pick one from the list of templates.`}
          action={
            <Group justify="center">
              <Button component={Link} to="/create">
                Browse templates
              </Button>
            </Group>
          }
        />
      );
    }
    return (
      <PageLayout title="Create">
        {query.error ? (
          <ErrorState error={query.error} title="Could not load the template" onRetry={() => void query.refetch()} />
        ) : (
          <LoadingState label="Loading the template…" />
        )}
      </PageLayout>
    );
  }

  const schema = query.data;
  return (
    <PageLayout title={schema.title} documentTitle={`Create: ${schema.title}`} subtitle={schema.description ?? 'Fill in the form to run this template.'}>
      <SectionCard title="Parameters">
        {schema.approval && (
          <Alert color="yellow" mb="md" title="Needs approval">
            <Text size="sm">
              A member of <EntityRefLinks entityRefs={schema.approval.approvers} defaultKind="group" /> must approve before this template runs.
            </Text>
          </Alert>
        )}
        {runDenied && (
          <Alert color="red" mb="md" title="You cannot run this template" role="alert">
            <Text size="sm">{runDenied}</Text>
          </Alert>
        )}
        <TemplateRunProblems check={runCheck} catalogPath={entityRoutePath(templateRef)} />
        {create.error && (
          <ErrorState
            error={create.error}
            title={isApiError(create.error) && create.error.status === 400 ? 'The server refused to run this template' : 'Could not start the template'}
          />
        )}
        {runCheck.state !== 'blocked' && (
          <TemplateForm
            steps={schema.steps}
            initialValues={initial}
            {...(schema.presentation ? { presentation: schema.presentation } : {})}
            submitting={create.isPending}
            // While the catalog is asked whether the template's problems keep it from running, wait for the answer.
            submitDisabled={!canRun.allowed || runCheck.state === 'checking'}
            onSubmit={(values) => create.mutate(values)}
          />
        )}
      </SectionCard>
    </PageLayout>
  );
}
