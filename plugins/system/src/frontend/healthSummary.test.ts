import { describe, expect, it } from 'vitest';
import type { JobInfo, PluginInfo } from '../common';
import { summarizeHealth } from './healthSummary';

const plugin = (overrides: Partial<PluginInfo> & { id: string }): PluginInfo => ({
  status: 'running',
  dependsOn: [],
  health: { status: 'ok' },
  migrations: [],
  ...overrides,
});

const job = (overrides: Partial<JobInfo> & { id: string }): JobInfo => ({
  pluginId: 'catalog',
  intervalSeconds: 60,
  lastRunAt: null,
  lastStatus: null,
  lastError: null,
  lastDurationMs: null,
  nextRunAt: null,
  running: false,
  ...overrides,
});

describe('summarizeHealth', () => {
  it('is ok when every plugin runs and is healthy', () => {
    const summary = summarizeHealth({ plugins: [plugin({ id: 'system' }), plugin({ id: 'catalog' })], jobs: [] });
    expect(summary).toEqual({ overall: 'ok', pluginCount: 2, problems: [], failingJobIds: [] });
  });

  it('is degraded by an unhealthy plugin or a failing job', () => {
    const summary = summarizeHealth({
      plugins: [plugin({ id: 'catalog', health: { status: 'degraded', message: '3 locations failed' } })],
      jobs: [job({ id: 'catalog.refresh', lastStatus: 'error', lastError: 'timeout' })],
    });
    expect(summary.overall).toBe('degraded');
    expect(summary.problems).toEqual([{ pluginId: 'catalog', status: 'degraded', message: '3 locations failed' }]);
    expect(summary.failingJobIds).toEqual(['catalog.refresh']);
  });

  it('is down when a plugin failed to start, reporting its error', () => {
    const summary = summarizeHealth({
      plugins: [plugin({ id: 'scorecards', status: 'failed', error: 'migration 003 failed' })],
      jobs: [],
    });
    expect(summary.overall).toBe('down');
    expect(summary.problems[0]).toEqual({ pluginId: 'scorecards', status: 'failed', message: 'migration 003 failed' });
  });
});
