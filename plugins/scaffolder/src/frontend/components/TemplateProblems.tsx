import { ProblemList } from '@atrium/ui';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { type TemplateRunCheck } from '../templateProblems';

/**
 * On a template's form page: why it cannot be run (its stored version has problems), or that
 * the catalog reported problems it could not tell the meaning of. Nothing otherwise.
 */
export function TemplateRunProblems(props: { check: TemplateRunCheck; catalogPath?: string | undefined }) {
  const { check } = props;
  if (check.state === 'blocked') {
    const one = check.problems.length === 1;
    return (
      <Alert role="alert" color="red" mb="md" title="This template cannot be run" icon={<IconAlertTriangle aria-hidden />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            The catalog stored this template, but the checks made when it read the file found {one ? 'a problem' : `${check.problems.length} problems`} in it.
            Creating a run is refused until the file is fixed and its location refreshed.
          </Text>
          <ProblemList problems={check.problems} />
          {props.catalogPath && (
            <Button component={Link} to={props.catalogPath} size="xs" variant="default">
              Open its catalog page
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
  if (check.state === 'unknown') {
    return (
      <Alert color="yellow" mb="md" title="The catalog reported problems with this template" icon={<IconAlertTriangle aria-hidden />}>
        <Stack gap="xs">
          <Text size="sm">Whether they keep it from running could not be checked. If they do, creating a run is refused with the reasons.</Text>
          <ProblemList problems={check.reported} />
        </Stack>
      </Alert>
    );
  }
  return null;
}
