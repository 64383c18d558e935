/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in UTC:
 * `*`, numbers, ranges `a-b`, steps `a-b/n` (and star-slash-n), lists `a,b`. Day-of-week 0 and 7 are
 * Sunday. When both day fields are restricted, either may match (as in classic cron).
 */
export interface CronSchedule {
  source: string;
  matches(date: Date): boolean;
  /** The latest matching minute in (after, until], looking back at most `maxMinutes`. */
  latestIn(after: Date, until: Date, maxMinutes?: number): Date | undefined;
}

const FIELDS: Array<[string, number, number]> = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

function parseField(text: string, name: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name} field ${JSON.stringify(part)} is not valid`);
    let from = min;
    let to = max;
    if (m[1] !== '*') {
      from = Number(m[2]);
      to = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`cron ${name} field ${JSON.stringify(part)} is out of range ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(source: string): CronSchedule {
  const parts = String(source ?? '')
    .trim()
    .split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron ${JSON.stringify(source)} must have 5 fields (minute hour day-of-month month day-of-week)`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]![0], FIELDS[i]![1], FIELDS[i]![2])) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (dow.has(7)) dow.add(0);
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  const matches = (d: Date) => {
    if (!minute.has(d.getUTCMinutes()) || !hour.has(d.getUTCHours()) || !month.has(d.getUTCMonth() + 1)) return false;
    const domOk = dom.has(d.getUTCDate());
    const dowOk = dow.has(d.getUTCDay());
    if (domAny && dowAny) return true;
    if (domAny) return dowOk;
    if (dowAny) return domOk;
    return domOk || dowOk;
  };
  return {
    source,
    matches,
    latestIn(after, until, maxMinutes = 7 * 24 * 60) {
      const t = new Date(until);
      t.setUTCSeconds(0, 0);
      for (let i = 0; i < maxMinutes && t.getTime() > after.getTime(); i++) {
        if (matches(t)) return new Date(t);
        t.setUTCMinutes(t.getUTCMinutes() - 1);
      }
      return undefined;
    },
  };
}
