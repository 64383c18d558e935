import { StartupError } from '@atrium/backend';
import { auditCommand } from './commands/audit.js';
import { startCommand } from './commands/start.js';
import { validateCommand } from './commands/validate.js';

const USAGE = `Usage: atrium <command> [options]

Commands:
  start [--config FILE]...   Start the portal (app-config.yaml, app-config.local.yaml, then each --config file)
  validate <file|glob>...    Check catalog-info.yaml files offline: file:line:column: message, exit 1 on errors
                             (--format json for tools; --config FILE for custom kinds)
  audit verify [--config FILE]...
                             Check the audit log's hash chain; names the first altered record, exit 1 if any
  help                       Show this help

Options:
  --version                  Print the version`;

/** Runs the CLI and returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await startCommand(rest);
      case 'validate':
        return await validateCommand(rest);
      case 'audit':
        return await auditCommand(rest);
      case '--version':
      case '-v': {
        const { ATRIUM_VERSION } = await import('@atrium/backend');
        console.log(ATRIUM_VERSION);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`atrium: unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof StartupError || (e instanceof Error && e.name === 'UsageError')) {
      console.error(`atrium: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
