// The module's side of amoCRM connections: it registers as the connection owner `onec-sync`, so an operator
// connects an account for 1C through the connector's consent flow (`hub amocrm connect --for onec-sync` or the
// admin API). A connected account gets its webhook subscribed; a disconnected one stops working for 1C at once
// (the gate answers 409, queued pushes fail for good) — the connector has already wiped its tokens.
import type { AmoConnector } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import type { AccountCheck } from './secrets.js';

export const OWNER = 'onec-sync';

/** The connection state of an account as the connector records it. */
export const accountCheck = (amo: AmoConnector): AccountCheck => ({
  status: async (key) => (await amo.getAccount(Number(key)))?.status ?? 'unknown',
});

export function registerOwner(hub: Hub, amo: AmoConnector, onConnected: (key: string) => Promise<void>): void {
  amo.registerOwner(OWNER, {
    connected: async (account) => {
      await onConnected(String(account.amoAccountId));
      hub.log.info({ amoAccountId: account.amoAccountId }, '1C sync: amoCRM account connected');
    },
    disconnected: async (amoAccountId) => {
      // Nothing is deleted: bases, links and the secret wait for a reconnect; every 1C call meanwhile gets a 409.
      hub.log.info({ amoAccountId }, '1C sync: amoCRM account disconnected; 1C calls are refused until it reconnects');
    },
  });
}
