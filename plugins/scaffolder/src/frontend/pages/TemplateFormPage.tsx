import { ErrorState, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Alert, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { createTask, useParameterSchema } from '../api';
import { secretFieldNames } from '../form/fields';
import { TemplateForm } from '../form/TemplateForm';

/** /create/templates/:namespace/:name: the template's form, a review page, then the task. */
export default function TemplateFormPage() {
  const { namespace = 'default', name = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const query = useParameterSchema(namespace, name);
  // `?formData={...}` pre-fills the form (start over, and day-2 actions from an entity page).
  const initial = useMemo(() => {
    try {
      const raw = search.get('formData');
      return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
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
      return createTask({ templateRef: `template:${namespace}/${name}`, values, ...(Object.keys(secrets).length ? { secrets } : {}) });
    },
    onSuccess: (r) => void navigate(`/create/tasks/${r.id}`),
  });

  return (
    <PageLayout title={query.data?.title ?? name} subtitle={query.data?.description ?? 'Fill in the form to run this template.'} documentTitle={`Create: ${query.data?.title ?? name}`}>
      <QueryBoundary query={query} loadingLabel="Loading the template…" errorTitle="Could not load the template">
        {(schema) => (
          <SectionCard title="Parameters">
            {schema.approval && (
              <Alert color="yellow" mb="md" title="Needs approval">
                <Text size="sm">A member of {schema.approval.approvers.join(', ')} must approve before this template runs.</Text>
              </Alert>
            )}
            {create.error && <ErrorState error={create.error} title="Could not start the template" />}
            <TemplateForm
              steps={schema.steps}
              initialValues={initial}
              {...(schema.presentation ? { presentation: schema.presentation } : {})}
              submitting={create.isPending}
              onSubmit={(values) => create.mutate(values)}
            />
          </SectionCard>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}
