import type { Command } from './command';
import serve from './serve';
import start from './start';
import ingest from './ingest';
import query from './query';
import forecast from './forecast';
import backtest from './backtest';
import importCommand from './import';
import pack from './pack';
import audit from './audit';
import simulate from './simulate';
import credentials from './credentials';
import sandbox from './sandbox';
import hub from './hub';
import backup from './backup';
import restore from './restore';
import doctor from './doctor';
import users from './users';
import route from './route';

/** Every `vigie` sub-command. A new command: one file, one line here. */
export const COMMANDS: Command[] = [start, serve, ingest, importCommand, query, forecast, backtest, pack, audit, simulate, credentials, sandbox, hub, backup, restore, doctor, users, route];
