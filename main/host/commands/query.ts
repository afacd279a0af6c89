import path from 'node:path';
import { contract } from '../../../common/contract';
import { Store } from '../../core/store';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'query',
  summary: 'Print what the cache holds (for scripts)',
  usage: `vigie query --profile DIR incidents [--count] [--json] [--limit N]

  incidents   incidents in the cache, most recent first
  --count     print only how many
  --json      one JSON array (the same objects the UI receives)`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, count: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const [what] = positionals;
    if (what !== 'incidents') throw new UsageError(what ? `unknown kind "${what}"; known: incidents` : 'say what to query: incidents');
    const store = Store.open(path.resolve(values.profile ?? defaultProfileDir()));
    try {
      if (values.count) {
        console.log(String(store.incidents.count()));
        return 0;
      }
      // Same validation as the UI's call: one code path for scripts and screens.
      const params = contract['incidents.list'].params.parse(values.limit ? { limit: Number(values.limit) } : {});
      const incidents = store.incidents.list(params);
      if (values.json) {
        console.log(JSON.stringify(incidents));
        return 0;
      }
      for (const i of incidents) {
        console.log([new Date(i.occurredAt).toISOString(), i.id, `P${i.priority}`, i.status, i.category, i.title, i.address ?? ''].join('\t'));
      }
    } finally {
      store.close();
    }
    return 0;
  },
};
export default command;
