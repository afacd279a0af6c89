import { useState, type FormEvent } from 'react';
import type { VigieClient } from '../../../common/rpc';
import type { FeedSettings } from '../../../common/methods/feeds';
import { useT } from '../../i18n/index';

const ACTIONS = ['keep', 'drop', 'pseudonymise'];

/** Where credentials are kept and which feeds have one (feeds.settings); never a secret. */
export interface CredentialsInfo {
  storage: 'file' | 'os-keychain';
  location: string;
  feeds: string[];
  note?: string | undefined;
}

interface Props {
  client: VigieClient;
  credentials: CredentialsInfo;
  /** The feed's entry of config.json, or null for a new feed. */
  feed: FeedSettings | null;
  types: string[];
  transports: string[];
  onDone: () => void;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/**
 * Adds or edits one feed of config.json (admins). The data service checks everything and says
 * what is wrong; keys this form does not show (maxPayloadBytes, linkHosts…) are kept as they were.
 */
export function FeedEditor({ client, feed, types, transports, credentials, onDone }: Props) {
  const t = useT();
  const privacy = obj(feed?.privacy);
  const listen = obj(feed?.listen);
  const [form, setForm] = useState({
    id: str(feed?.id),
    label: str(feed?.label),
    type: str(feed?.type) || (types.includes('geojson') ? 'geojson' : (types[0] ?? 'geojson')),
    transport: str(feed?.transport) || 'poll',
    url: str(feed?.url),
    host: str(listen.host) || '127.0.0.1',
    port: str(listen.port),
    path: str(feed?.path),
    intervalSeconds: str(feed?.intervalSeconds) || '15',
    timeoutSeconds: str(feed?.timeoutSeconds) || '10',
    purpose: str(privacy.purpose),
    retentionDays: str(privacy.retentionDays) || '365',
    fields: Object.entries(obj(privacy.fields)).map(([k, v]) => `${k}: ${str(v)}`).join('\n'),
    options: feed?.options === undefined ? '' : JSON.stringify(feed.options, null, 2),
  });
  const [error, setError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const needsUrl = ['poll', 'websocket', 'sse'].includes(form.transport);
  const listens = form.transport === 'tcp' || form.transport === 'udp';

  const build = (): FeedSettings => {
    const fields: Record<string, string> = {};
    for (const line of form.fields.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const [name, action] = line.split(':').map((s) => s.trim());
      if (!name || !action || !ACTIONS.includes(action)) throw new Error(t('feeds.edit.badField', { line }));
      fields[name] = action;
    }
    let options: unknown;
    if (form.options.trim() !== '') {
      try {
        options = JSON.parse(form.options);
      } catch (e) {
        throw new Error(t('feeds.edit.badOptions', { why: (e as Error).message }), { cause: e });
      }
    }
    const { url: _u, listen: _l, path: _p, options: _o, ...kept } = feed ?? {};
    return {
      ...kept,
      id: form.id.trim(),
      ...(form.label.trim() ? { label: form.label.trim() } : {}),
      type: form.type,
      transport: form.transport,
      ...(needsUrl ? { url: form.url.trim() } : {}),
      ...(listens ? { listen: { host: form.host.trim(), port: Number(form.port) } } : {}),
      ...(form.transport === 'folder' ? { path: form.path.trim() } : {}),
      intervalSeconds: Number(form.intervalSeconds),
      timeoutSeconds: Number(form.timeoutSeconds),
      privacy: { ...privacy, ...(form.purpose.trim() ? { purpose: form.purpose.trim() } : {}), retentionDays: Number(form.retentionDays), fields },
      ...(options !== undefined ? { options } : {}),
    };
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setError(null);
      await client.call('feeds.save', { feed: build() });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const remove = async () => {
    if (!confirmRemove) return setConfirmRemove(true);
    try {
      await client.call('feeds.remove', { id: form.id });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <form className="feed-editor" aria-label={feed ? t('feeds.edit.title', { feed: str(feed.label) || str(feed.id) }) : t('feeds.edit.new')} onSubmit={(e) => void save(e)}>
      <h3>{feed ? t('feeds.edit.title', { feed: str(feed.label) || str(feed.id) }) : t('feeds.edit.new')}</h3>
      <div className="feed-editor-grid">
        <label>
          {t('feeds.edit.id')}
          <input value={form.id} onChange={set('id')} disabled={feed !== null} required />
        </label>
        <label>
          {t('feeds.edit.label')}
          <input value={form.label} onChange={set('label')} />
        </label>
        <label>
          {t('feeds.edit.type')}
          <select value={form.type} onChange={set('type')}>
            {types.map((ty) => (
              <option key={ty}>{ty}</option>
            ))}
          </select>
        </label>
        <label>
          {t('feeds.edit.transport')}
          <select value={form.transport} onChange={set('transport')}>
            {transports.map((tr) => (
              <option key={tr}>{tr}</option>
            ))}
          </select>
        </label>
        {needsUrl && (
          <label className="wide">
            {t('feeds.edit.url')}
            <input value={form.url} onChange={set('url')} required />
          </label>
        )}
        {listens && (
          <>
            <label>
              {t('feeds.edit.host')}
              <input value={form.host} onChange={set('host')} />
            </label>
            <label>
              {t('feeds.edit.port')}
              <input value={form.port} onChange={set('port')} inputMode="numeric" required />
            </label>
          </>
        )}
        {form.transport === 'folder' && (
          <label className="wide">
            {t('feeds.edit.path')}
            <input value={form.path} onChange={set('path')} required />
          </label>
        )}
        <label>
          {t('feeds.edit.interval')}
          <input value={form.intervalSeconds} onChange={set('intervalSeconds')} inputMode="decimal" />
        </label>
        <label>
          {t('feeds.edit.timeout')}
          <input value={form.timeoutSeconds} onChange={set('timeoutSeconds')} inputMode="decimal" />
        </label>
        <label className="wide">
          {t('feeds.edit.purpose')}
          <input value={form.purpose} onChange={set('purpose')} />
        </label>
        <label>
          {t('feeds.edit.retention')}
          <input value={form.retentionDays} onChange={set('retentionDays')} inputMode="numeric" />
        </label>
        <label className="wide">
          {t('feeds.edit.fields')}
          <textarea value={form.fields} onChange={set('fields')} rows={3} placeholder="address: drop&#10;unitId: pseudonymise" />
        </label>
        <label className="wide">
          {t('feeds.edit.options')}
          <textarea value={form.options} onChange={set('options')} rows={4} className="mono" />
        </label>
      </div>
      <p className="muted feed-credential" data-storage={credentials.storage}>
        {t(credentials.feeds.includes(form.id) ? 'feeds.edit.credentialSet' : 'feeds.edit.credentialNone')}{' '}
        {credentials.storage === 'os-keychain'
          ? t('feeds.edit.credentialKeychain')
          : t('feeds.edit.credentialFile', { location: credentials.location, feed: form.id || 'ID' })}
        {credentials.note ? ` (${credentials.note})` : ''}
      </p>
      {error && (
        <p role="alert" className="feeds-error">
          {error}
        </p>
      )}
      <div className="feed-editor-actions">
        <button type="submit">{t('feeds.edit.save')}</button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('feeds.edit.cancel')}
        </button>
        {feed && (
          <button type="button" className="danger" onClick={() => void remove()}>
            {confirmRemove ? t('feeds.edit.confirmRemove') : t('feeds.edit.remove')}
          </button>
        )}
      </div>
    </form>
  );
}
