import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './commands/command';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ options: T & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>>;

/**
 * `--bbox -95.5,29.6,…` and `--origin -122.9,45.3`: western longitudes start with a dash, which
 * parseArgs would take for an option. A string option followed by a negative number takes it.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith('--') && !argv[i]!.includes('=') ? argv[i]!.slice(2) : null;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

/** node:util parseArgs, with its errors turned into usage errors the CLI prints with the usage. */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false): Parsed<T> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true }) as Parsed<T>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
