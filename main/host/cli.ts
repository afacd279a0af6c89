import { DamagedDatabaseError, DatabaseFromTheFutureError } from '../core/db/connection';
import { COMMANDS } from './commands/index';
import { UsageError } from './commands/command';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Vigie: the control-room picture (incidents, cameras, units, forecasts), privacy by design.',
    '',
    'Usage: vigie <command> [options]      vigie <command> --help for its options',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    const { default: fs } = await import('node:fs');
    const { appRoot } = await import('../core/paths');
    console.log(JSON.parse(fs.readFileSync(`${appRoot()}/package.json`, 'utf8')).version);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`vigie: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  // Asked for help anywhere before `--`: the usage, and nothing run (no server started, no file written).
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flags.includes('--help') || flags.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`vigie ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof DatabaseFromTheFutureError || error instanceof DamagedDatabaseError) {
      console.error(`vigie ${name}: ${error.message}`);
      return 3;
    }
    console.error(`vigie ${name}: ${(error as Error).message}`);
    if (process.env.VIGIE_DEBUG) console.error(error);
    return 1;
  }
}
