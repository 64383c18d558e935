import { EmptyState, ErrorState, PageLayout, SectionCard } from '@atrium/ui';
import { Alert, Button, Code, FileButton, Grid, Group, NavLink, ScrollArea, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { dump, load } from 'js-yaml';
import { useMemo, useState } from 'react';
import type { DryRunResponse } from '../../common/index';
import { dryRun, useTemplates } from '../api';
import { hasOutput, TaskOutput } from '../components/TaskOutput';
import { TemplateForm, type FormStep } from '../form/TemplateForm';
import { refOf } from '../refs';

const EXAMPLE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: hello
  title: Hello
spec:
  type: service
  parameters:
    - title: Name
      required: [name]
      properties:
        name: { type: string, title: Name }
  steps:
    - id: write
      action: catalog:write
      input:
        entity:
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata: { name: '\${{ parameters.name }}' }
          spec: { type: service, lifecycle: experimental, owner: guest }
    - id: log
      action: debug:log
      input: { message: 'Hello \${{ parameters.name }}', listWorkspace: true }
  output:
    text:
      - title: Done
        content: Created \${{ parameters.name }}
`;

/** /create/edit: paste or load a template, preview its form, dry-run it and browse the files. */
export default function TemplateEditorPage() {
  const [yaml, setYaml] = useState(EXAMPLE);
  const [files, setFiles] = useState<Array<{ path: string; base64Content: string }>>([]);
  const templates = useTemplates();
  const parsed = useMemo(() => {
    try {
      const doc = load(yaml) as { kind?: string; spec?: { parameters?: unknown } };
      if (!doc || doc.kind !== 'Template') return { error: 'The YAML is not a Template entity (kind: Template).' };
      const params = doc.spec?.parameters;
      const pages = (Array.isArray(params) ? params : params ? [params] : []) as Array<Record<string, unknown>>;
      const steps: FormStep[] = pages.map((p) => {
        const { title, description, ...schema } = p as { title?: string; description?: string };
        return { title: title ?? 'Parameters', ...(description ? { description } : {}), schema };
      });
      return { doc, steps };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [yaml]);
  const run = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      dryRun({ template: parsed.doc as Record<string, unknown>, values, ...(files.length ? { directoryContents: files } : {}) }),
  });

  const loadFromCatalog = (ref: string | null) => {
    const t = templates.data?.find((x) => refOf(x) === ref);
    if (!t) return;
    const { relations: _r, status: _s, ...rest } = t as Record<string, unknown>;
    void _r;
    void _s;
    setYaml(dump(rest, { lineWidth: 120, noRefs: true }));
    setFiles([]);
  };

  return (
    <PageLayout
      title="Template editor"
      subtitle="Paste or load a template, try its form, and dry-run it: side effects are skipped and the files it would produce are shown."
    >
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <SectionCard
            title="Template YAML"
            actions={
              <Group gap="xs">
                <Select
                  aria-label="Load from catalog"
                  placeholder="Load from catalog"
                  size="xs"
                  searchable
                  data={(templates.data ?? []).map((t) => ({ value: refOf(t), label: t.metadata.title ? `${t.metadata.title} (${refOf(t)})` : refOf(t) }))}
                  onChange={loadFromCatalog}
                />
                <FileButton
                  multiple
                  onChange={async (list) => {
                    const out = await Promise.all(
                      list.map(async (f) => ({
                        path: f.webkitRelativePath || f.name,
                        base64Content: btoa(String.fromCharCode(...new Uint8Array(await f.arrayBuffer()))),
                      })),
                    );
                    setFiles(out);
                  }}
                >
                  {(p) => (
                    <Button size="xs" variant="default" {...p}>
                      Skeleton files{files.length ? ` (${files.length})` : ''}
                    </Button>
                  )}
                </FileButton>
              </Group>
            }
          >
            <Textarea
              aria-label="Template YAML"
              value={yaml}
              onChange={(e) => setYaml(e.currentTarget.value)}
              autosize
              minRows={20}
              maxRows={40}
              styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            />
          </SectionCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack>
            <SectionCard title="Form preview">
              {'error' in parsed && parsed.error ? (
                <Alert color="red" title="Cannot read the template">
                  {parsed.error}
                </Alert>
              ) : (
                <TemplateForm key={yaml} steps={parsed.steps ?? []} submitLabel="Dry run" submitting={run.isPending} onSubmit={(v) => run.mutate(v)} />
              )}
            </SectionCard>
            {run.error && <ErrorState error={run.error} title="Dry run refused" />}
            {run.data && <DryRunResult result={run.data} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </PageLayout>
  );
}

function decode(b64: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return '(binary)';
  }
}

function DryRunResult({ result }: { result: DryRunResponse }) {
  const [selected, setSelected] = useState<string | undefined>(result.directoryContents[0]?.path);
  const file = result.directoryContents.find((f) => f.path === selected);
  const failed = result.log.some((l) => l.body.status === 'failed');
  return (
    <SectionCard title={failed ? 'Dry run failed' : 'Dry run result'}>
      <Stack>
        {result.directoryContents.length === 0 ? (
          <EmptyState compact title="No files" description="The template produced no files in its workspace." />
        ) : (
          <Grid>
            <Grid.Col span={{ base: 12, sm: 5 }}>
              <ScrollArea.Autosize mah={260} aria-label="File tree">
                {result.directoryContents.map((f) => (
                  <NavLink
                    key={f.path}
                    label={f.path}
                    active={f.path === selected}
                    onClick={() => setSelected(f.path)}
                    style={{ fontFamily: 'monospace', fontSize: 12 }}
                  />
                ))}
              </ScrollArea.Autosize>
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 7 }}>
              <ScrollArea.Autosize mah={260} aria-label={file ? `Contents of ${file.path}` : 'File contents'}>
                <Code block>{file ? decode(file.base64Content) : ''}</Code>
              </ScrollArea.Autosize>
            </Grid.Col>
          </Grid>
        )}
        <Text fw={600} size="sm">
          Log
        </Text>
        <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {result.log.map((l) => `${l.body.stepId ? `[${l.body.stepId}] ` : ''}${l.body.message}`).join('\n')}
        </Code>
        {hasOutput(result.output) && (
          <>
            <Text fw={600} size="sm">
              Output
            </Text>
            <TaskOutput output={result.output} />
          </>
        )}
      </Stack>
    </SectionCard>
  );
}
