import type { BuildLogEntry, BuildLogLevel } from '../../common/index.js';

const MAX_ENTRIES = 1000;

/** The log a build keeps for the entity page: what was built, and every problem found. */
export class BuildLog {
  readonly entries: BuildLogEntry[] = [];
  private dropped = 0;
  warnings = 0;
  errors = 0;

  add(level: BuildLogLevel, message: string, file?: string): void {
    if (level === 'warning') this.warnings++;
    if (level === 'error') this.errors++;
    if (this.entries.length >= MAX_ENTRIES) {
      this.dropped++;
      return;
    }
    this.entries.push({ level, message, ...(file ? { file } : {}) });
  }

  info(message: string, file?: string): void {
    this.add('info', message, file);
  }
  warn(message: string, file?: string): void {
    this.add('warning', message, file);
  }
  error(message: string, file?: string): void {
    this.add('error', message, file);
  }

  /** A warn function bound to one file, de-duplicating repeats of the same message. */
  forFile(file: string): (message: string) => void {
    const seen = new Set<string>();
    return (message) => {
      if (seen.has(message)) return;
      seen.add(message);
      this.warn(message, file);
    };
  }

  toJSON(): BuildLogEntry[] {
    return this.dropped > 0 ? [...this.entries, { level: 'info', message: `${this.dropped} more log entries were left out` }] : this.entries;
  }
}
