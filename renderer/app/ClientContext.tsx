import { createContext, useContext } from 'react';
import type { VigieClient } from '../../common/rpc';
import { contract, type MethodName } from '../../common/contract';
import { useSession } from '../stores/session';

/** The window's client, for features that act (the live stores are fed by useLiveSync). */
export const ClientContext = createContext<VigieClient | null>(null);

export function useClient(): VigieClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient used outside ClientContext');
  return client;
}

/** Whether the connected role may call a method: the UI hides what the core would refuse anyway. */
export function useCan(method: MethodName): boolean {
  const role = useSession((s) => s.session?.role);
  return role !== undefined && contract[method].roles.includes(role);
}
