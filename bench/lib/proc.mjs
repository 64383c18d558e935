// Process and machine readings from /proc (Linux only): CPU seconds, RSS, load average.
import fs from 'node:fs';

const TICKS = 100; // USER_HZ; 100 on every Linux this runs on (getconf CLK_TCK).

/** CPU seconds (user + system) used so far by one process, or null when it is gone. */
export function processCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / TICKS;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak) of a process in MiB, or null when it is gone. */
export function processMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage() {
  const [one, five, fifteen] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return { one, five, fifteen };
}

/** Machine-wide CPU counters (busy and total jiffies over all cores). */
export function machineCpu() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Machine CPU use between two machineCpu() readings, as a fraction of all cores (0..1). */
export function machineCpuShare(before, after) {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

/**
 * Snapshot for the start or end of a phase: wall clock, backend CPU, machine CPU, load.
 * `phaseFigures(start, end)` turns two snapshots into what the results report.
 */
export function snapshot(pid) {
  return { at: performance.now(), cpu: processCpuSeconds(pid), machine: machineCpu(), load: loadAverage() };
}

export function phaseFigures(start, end) {
  const wallS = (end.at - start.at) / 1000;
  return {
    wallS: round(wallS, 2),
    backendCpuS: start.cpu !== null && end.cpu !== null ? round(end.cpu - start.cpu, 2) : null,
    machineCpu: round(machineCpuShare(start.machine, end.machine), 3),
    loadStart: start.load.one,
    loadEnd: end.load.one,
  };
}

export function round(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
