import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './commands/command';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ options: T & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>>;

/** node:util parseArgs, with its errors turned into usage errors the CLI prints with the usage. */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false): Parsed<T> {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true }) as Parsed<T>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
