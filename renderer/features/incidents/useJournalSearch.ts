import { useEffect } from 'react';
import { useClient } from '../../app/ClientContext';

/** Searching is a consultation: once the operator stops typing, the query is journaled. */
const SETTLE_MS = 1_500;

export function useJournalSearch(search: string) {
  const client = useClient();
  useEffect(() => {
    const query = search.trim();
    if (query.length < 2) return;
    const timer = setTimeout(() => void client.call('audit.consult', { action: 'incidents.search', target: query.slice(0, 300) }).catch(() => undefined), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [client, search]);
}
