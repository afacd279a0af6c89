import type { Command } from './command';
import serve from './serve';
import start from './start';
import ingest from './ingest';
import query from './query';
import forecast from './forecast';
import backtest from './backtest';
import simulate from './simulate';
import credentials from './credentials';

/** Every `vigie` sub-command. A new command: one file, one line here. */
export const COMMANDS: Command[] = [start, serve, ingest, query, forecast, backtest, simulate, credentials];
