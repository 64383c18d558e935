import type { HealthStatus, SystemInfo } from '../common';

export interface PluginProblem {
  pluginId: string;
  /** The status word to show: the plugin's lifecycle status, or its health when it is running. */
  status: string;
  message?: string;
}

export interface HealthSummary {
  overall: HealthStatus;
  pluginCount: number;
  problems: PluginProblem[];
  failingJobIds: string[];
}

/** Condenses system info into "is everything fine, and if not, what is wrong". */
export function summarizeHealth(info: Pick<SystemInfo, 'plugins' | 'jobs'>): HealthSummary {
  const problems = info.plugins.flatMap((plugin): PluginProblem[] => {
    if (plugin.status !== 'running') {
      return [{ pluginId: plugin.id, status: plugin.status, message: plugin.error }];
    }
    if (plugin.health.status !== 'ok') {
      return [{ pluginId: plugin.id, status: plugin.health.status, message: plugin.health.message }];
    }
    return [];
  });
  const failingJobIds = info.jobs.filter((job) => job.lastStatus === 'error').map((job) => job.id);
  return {
    overall: overallHealth(problems, failingJobIds),
    pluginCount: info.plugins.length,
    problems,
    failingJobIds,
  };
}

function overallHealth(problems: PluginProblem[], failingJobIds: string[]): HealthStatus {
  if (problems.some((p) => p.status === 'failed' || p.status === 'down')) return 'down';
  if (problems.length > 0 || failingJobIds.length > 0) return 'degraded';
  return 'ok';
}
