import { describe, expect, it } from 'vitest';
import { stepStatusLabel, TASK_STATUSES, taskStatusLabel, taskStatusTone } from './statusLabels';

describe('status labels', () => {
  it('names every task status in words, never as the API enum', () => {
    expect(taskStatusLabel('awaiting-approval')).toBe('Awaiting approval');
    expect(taskStatusLabel('open')).toBe('Queued');
    expect(taskStatusLabel('processing')).toBe('Running');
    for (const status of TASK_STATUSES) {
      expect(taskStatusLabel(status)).not.toMatch(/[-_]/);
      expect(taskStatusLabel(status)).toMatch(/^[A-Z][a-z ]+$/);
    }
    expect(taskStatusLabel('paused-by_operator')).toBe('Paused by operator');
  });

  it('gives waiting and failed tasks a tone that stands out', () => {
    expect(taskStatusTone('awaiting-approval')).toBe('warning');
    expect(taskStatusTone('failed')).toBe('danger');
    expect(taskStatusTone('completed')).toBe('success');
    expect(taskStatusTone('whatever')).toBe('neutral');
  });

  it('says a step that never started in an ended task was not run', () => {
    expect(stepStatusLabel('open', 'processing')).toBe('Not started');
    expect(stepStatusLabel('open', 'failed')).toBe('Not run');
    expect(stepStatusLabel('open', 'awaiting-approval')).toBe('Waiting');
    expect(stepStatusLabel('completed', 'completed')).toBe('Done');
    expect(stepStatusLabel('skipped')).toBe('Skipped');
  });
});
