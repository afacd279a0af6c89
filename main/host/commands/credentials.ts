import fs from 'node:fs';
import path from 'node:path';
import { credentialsPath, saveCredential, type FeedCredential } from '../../core/feeds/credentials';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'credentials',
  summary: "Set or remove a feed's credential (kept out of config.json, readable by this user only)",
  usage: `vigie credentials --profile DIR --feed ID (--basic USER | --bearer | --header NAME | --pfx FILE | --cert FILE --key FILE | --remove) [--ca FILE]

The secret (password, token or header value) is read from standard input, never from the command
line, where it would end up in the shell history and the process list:
  printf '%s' "$TOKEN" | vigie credentials --profile DIR --feed city --bearer
A TAK Server's client certificate: a PKCS#12 file, its passphrase on standard input (or PEM
--cert and --key files, the key unencrypted), with --ca the server's CA (PEM):
  printf '%s' "$P12_PASSWORD" | vigie credentials --profile DIR --feed takserver --pfx vigie.p12 --ca ca.pem
Credentials are stored in DIR/secrets/credentials.json (mode 0600, not encrypted: the command line
has no access to the OS keychain), sent only to the feed's own host, and never shown in the app.
The desktop app moves them into DIR/secrets/credentials.enc, encrypted with the OS keychain, at its
next start (docs/deploy.md, "Feed credentials").`,
  async run(argv) {
    const { values } = parse(argv, { profile: { type: 'string' }, feed: { type: 'string' }, basic: { type: 'string' }, bearer: { type: 'boolean' }, header: { type: 'string' }, remove: { type: 'boolean' }, pfx: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.feed) throw new UsageError('--feed is required');
    const kinds = [values.basic !== undefined, values.bearer, values.header !== undefined, values.remove, values.pfx !== undefined, values.cert !== undefined].filter(Boolean).length;
    if (kinds !== 1) throw new UsageError('give exactly one of --basic USER, --bearer, --header NAME, --pfx FILE, --cert FILE --key FILE, --remove');
    if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together (PEM files)');
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    if (values.remove) {
      saveCredential(profileDir, values.feed, null);
      console.log(`Removed the credential of feed "${values.feed}".`);
      return 0;
    }
    const file = (name: string, f: string, encoding?: 'utf8'): string | Buffer => {
      try {
        return encoding ? fs.readFileSync(f, encoding) : fs.readFileSync(f);
      } catch (error) {
        throw new UsageError(`${name} ${f}: ${(error as Error).message}`);
      }
    };
    if (values.pfx !== undefined || values.cert !== undefined) {
      const ca = values.ca !== undefined ? { ca: file('--ca', values.ca, 'utf8') as string } : {};
      const tls: Extract<FeedCredential, { tls: unknown }>['tls'] = values.pfx !== undefined
        ? { pfx: (file('--pfx', values.pfx) as Buffer).toString('base64'), passphrase: fs.readFileSync(0, 'utf8').replace(/\r?\n$/, ''), ...ca }
        : { cert: file('--cert', values.cert!, 'utf8') as string, key: file('--key', values.key!, 'utf8') as string, ...ca };
      saveCredential(profileDir, values.feed, { tls });
      console.log(`Stored the client certificate of feed "${values.feed}" in ${credentialsPath(profileDir)} (mode 0600).`);
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
