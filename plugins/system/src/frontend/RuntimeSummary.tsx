import { KeyValueTable, RelativeTime, SectionCard, formatDuration } from '@atrium/ui';
import { Code, SimpleGrid } from '@mantine/core';
import type { SystemInfo } from '../common';

const DATABASE_MODE_LABELS = {
  embedded: 'Embedded Postgres (PGlite)',
  postgres: 'PostgreSQL server',
} as const;

/** "PostgreSQL 18.6 (PGlite 0.5.16) on wasm32…, compiled by …" → "PostgreSQL 18.6 (PGlite 0.5.16)". */
export function shortServerVersion(version: string): string {
  return version.split(' on ')[0] ?? version;
}

/** Bytes as megabytes with one decimal: "12.3 MB". */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Facts about the running server and its database. */
export function RuntimeSummary(props: { info: SystemInfo }) {
  const { info } = props;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <SectionCard title="Server">
        <KeyValueTable
          aria-label="Server"
          items={[
            { label: 'Atrium version', value: info.version },
            { label: 'Node.js', value: info.nodeVersion },
            { label: 'Uptime', value: formatDuration(info.uptimeSeconds) },
            { label: 'Started', value: <RelativeTime value={info.startedAt} tickMs={30_000} /> },
          ]}
        />
      </SectionCard>
      <SectionCard title="Database">
        <KeyValueTable
          aria-label="Database"
          items={[
            { label: 'Mode', value: DATABASE_MODE_LABELS[info.database.mode] ?? info.database.mode },
            { label: 'Location', value: <Code>{info.database.location}</Code> },
            {
              label: 'Server version',
              value: <span title={info.database.serverVersion}>{shortServerVersion(info.database.serverVersion)}</span>,
            },
            ...(info.eventLog
              ? [
                  {
                    label: 'Event log',
                    value: `${info.eventLog.rows.toLocaleString('en')} events, ${formatMegabytes(info.eventLog.bytes)}; kept ${info.eventLog.retentionDays} days`,
                  },
                ]
              : []),
          ]}
        />
      </SectionCard>
    </SimpleGrid>
  );
}
