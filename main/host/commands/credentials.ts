import fs from 'node:fs';
import path from 'node:path';
import { credentialsPath, saveCredential, type FeedCredential } from '../../core/feeds/credentials';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'credentials',
  summary: "Set or remove a feed's credential (kept out of config.json, readable by this user only)",
  usage: `vigie credentials --profile DIR --feed ID (--basic USER | --bearer | --header NAME | --remove)

The secret (password, token or header value) is read from standard input, never from the command
line, where it would end up in the shell history and the process list:
  printf '%s' "$TOKEN" | vigie credentials --profile DIR --feed city --bearer
Credentials are stored in DIR/secrets/credentials.json (mode 0600, not encrypted: the command line
has no access to the OS keychain), sent only to the feed's own host, and never shown in the app.
The desktop app moves them into DIR/secrets/credentials.enc, encrypted with the OS keychain, at its
next start (docs/deploy.md, "Feed credentials").`,
  async run(argv) {
    const { values } = parse(argv, { profile: { type: 'string' }, feed: { type: 'string' }, basic: { type: 'string' }, bearer: { type: 'boolean' }, header: { type: 'string' }, remove: { type: 'boolean' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.feed) throw new UsageError('--feed is required');
    const kinds = [values.basic !== undefined, values.bearer, values.header !== undefined, values.remove].filter(Boolean).length;
    if (kinds !== 1) throw new UsageError('give exactly one of --basic USER, --bearer, --header NAME, --remove');
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    if (values.remove) {
      saveCredential(profileDir, values.feed, null);
      console.log(`Removed the credential of feed "${values.feed}".`);
      return 0;
    }
    const secret = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (secret === '') throw new UsageError('the secret is read from standard input, and it was empty');
    const credential: FeedCredential =
      values.basic !== undefined ? { basic: { username: values.basic, password: secret } } : values.bearer ? { bearer: secret } : { header: { name: values.header!, value: secret } };
    saveCredential(profileDir, values.feed, credential);
    console.log(`Stored the credential of feed "${values.feed}" in ${credentialsPath(profileDir)} (mode 0600).`);
    return 0;
  },
};
export default command;
