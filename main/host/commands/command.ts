/** One `vigie <name>` sub-command. Registered in ./index.ts. */
export interface Command {
  name: string;
  /** One line for `vigie --help`. */
  summary: string;
  /** Full usage text for `vigie <name> --help`. */
  usage: string;
  /** Words that may follow the name (`vigie pack build`): each answers `--help` too, and the CLI test checks them. */
  subcommands?: readonly string[];
  /** Returns the process exit code. Throw a UsageError for bad arguments: the CLI prints it with the usage. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
