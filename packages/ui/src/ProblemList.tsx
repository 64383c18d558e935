import { Code, List, Text } from '@mantine/core';

/** A problem found in a file: where (file, line, field) and what. */
export interface LocatedProblem {
  file?: string;
  line?: number;
  field?: string;
  message: string;
}

/** `file:line` (or the file alone); undefined when the problem names no file. */
export function problemPlace(problem: Pick<LocatedProblem, 'file' | 'line'>): string | undefined {
  if (!problem.file) return undefined;
  return problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
}

/** Each problem: where (`file:line`, field) and what (processing errors, a template's problems). */
export function ProblemList(props: { problems: readonly LocatedProblem[] }) {
  return (
    <List size="sm" spacing={4}>
      {props.problems.map((problem, index) => {
        const place = problemPlace(problem);
        return (
          <List.Item key={index}>
            {place && <Code style={{ overflowWrap: 'anywhere' }}>{place}</Code>}
            {problem.field && (
              <Text size="sm" span c="dimmed" ml={place ? 6 : 0}>
                field {problem.field}
              </Text>
            )}
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {problem.message}
            </Text>
          </List.Item>
        );
      })}
    </List>
  );
}
