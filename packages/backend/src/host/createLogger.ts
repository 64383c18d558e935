import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export interface LoggerOptions {
  /** Readable lines instead of JSON. Default: LOG_FORMAT (`pretty` or `json`), else whether stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go (default stdout); tests pass a stream. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

function prettyByDefault(): boolean {
  const format = process.env['LOG_FORMAT'];
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return process.stdout.isTTY === true;
}

/**
 * Logs on stdout; LOG_LEVEL sets the level (default info). JSON lines for collectors, each with
 * `service: "atrium"` once; children add `component` (host parts) or `plugin`, never a second
 * `service`. In a terminal the same records are printed as readable, coloured lines.
 */
export function createLogger(level = process.env['LOG_LEVEL'] ?? 'info', options: LoggerOptions = {}): Logger {
  const settings = { level, base: { service: 'atrium' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.pretty ?? prettyByDefault()) {
    const stream = PinoPretty({
      colorize: options.destination ? false : process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'service',
      singleLine: true,
      sync: true,
      ...(options.destination ? { destination: options.destination } : {}),
    });
    return pino(settings, stream);
  }
  return options.destination ? pino(settings, options.destination as DestinationStream) : pino(settings);
}
