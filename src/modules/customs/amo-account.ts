// The module's side of amoCRM connections: it registers as the connection owner `customs`, so an operator connects
// the account a customs business works in through the connector's consent flow (`hub amocrm connect --for customs`
// or the admin API). Tokens, mappings and statuses hang on the amoCRM account id; a disconnect deletes nothing —
// notifications are still accepted and recorded, and their amoCRM steps show as refused on the timeline.
import type { AmoConnector } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import { customsError } from './errors.js';

export const OWNER = 'customs';

export function registerOwner(hub: Hub, amo: AmoConnector): void {
  amo.registerOwner(OWNER, {
    connected: async (account) => {
      hub.log.info({ amoAccountId: account.amoAccountId }, 'customs: amoCRM account connected');
    },
    disconnected: async (amoAccountId) => {
      hub.log.info({ amoAccountId }, 'customs: amoCRM account disconnected; notifications are kept, amoCRM is not updated');
    },
  });
}

/** The account must be one the connector knows (connected at least once): tokens for a typo'd id help nobody. */
export async function assertKnownAccount(amo: AmoConnector, accountId: number): Promise<void> {
  const account = await amo.getAccount(accountId);
  if (!account || account.status === 'disconnected') throw customsError('ACCOUNT_NOT_CONNECTED');
}
