// Connecting a quiz account to amoCRM and letting go of it. OAuth, tokens and the disconnect-hook signature are
// the connector's business; this service keeps the seed's account record (one live connection per quiz
// account, soft-deleted, re-connectable) and starts the first directory sync.
import { and, eq, ne } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { isAmoError, type AmoAccount, type AmoConnector, type ConnectOutcome } from '../../connectors/amocrm/index.js';
import { quizAccounts, quizUsers } from './schema.js';
import { quizError } from './errors.js';
import { QUEUES } from './queues.js';
import { ALL_DIRECTORIES } from './directories.js';
import type { Static } from '@sinclair/typebox';
import type { User } from './contract.js';
import { unixSeconds } from './time.js';
import { connectedPage } from './pages.js';

export type AccountRow = typeof quizAccounts.$inferSelect;

/** The owner name the quiz module registers with the amoCRM connector; states carry "quiz:<quiz account id>". */
export const OWNER = 'quiz';
const OWNER_PREFIX = `${OWNER}:`;

export class AccountService {
  constructor(
    private readonly hub: Hub,
    private readonly amo: AmoConnector,
    private readonly afterConnectUrl: string | undefined,
  ) {
    amo.registerOwner(OWNER, {
      connected: (account, quizAccountId) => this.connected(account, quizAccountId),
      disconnected: (amoAccountId) => this.disconnectedByAmo(amoAccountId),
    });
  }

  /** POST /account: the consent link, bound (state) to this quiz account. */
  async connectLink(quizAccountId: string): Promise<string> {
    try {
      return await this.amo.authorizeUrl(`${OWNER_PREFIX}${quizAccountId}`);
    } catch (err) {
      throw translateAmoError(err);
    }
  }

  /**
   * The connector completed a consent this module asked for (at /connect/amocrm/callback or the seed's
   * /quiz/webhook/create): record the connection, replacing a live one of the same quiz account, and enqueue the
   * first sync in the same transaction. Tells the browser where to go.
   */
  async connected(account: AmoAccount, quizAccountId: string | undefined): Promise<ConnectOutcome> {
    if (!quizAccountId) throw quizError('AUTHORIZATION_FAILED', 'Ссылка подключения не называет аккаунт квиза');
    const row = await this.hub.db.transaction(async (tx) => {
      await tx
        .update(quizAccounts)
        .set({ deleted: true, deletedAt: new Date() })
        .where(and(eq(quizAccounts.quizAccountId, quizAccountId), eq(quizAccounts.deleted, false)));
      const [inserted] = await tx
        .insert(quizAccounts)
        .values({
          quizAccountId,
          amoAccountId: account.amoAccountId,
          name: account.name,
          subdomain: account.subdomain,
          amoUserId: account.amoUserId ?? 0,
          country: account.country ?? '',
        })
        .returning();
      await this.hub.jobs.send(QUEUES.sync, { amoAccountId: account.amoAccountId, directories: [...ALL_DIRECTORIES] }, { tx });
      return inserted!;
    });
    if (this.afterConnectUrl) {
      const to = new URL(this.afterConnectUrl);
      to.searchParams.set('amo', 'connected');
      to.searchParams.set('subdomain', row.subdomain);
      return { redirectTo: to.toString() };
    }
    return { html: connectedPage(row) };
  }

  /** The live connection of a quiz account, or the seed's 404. */
  async live(quizAccountId: string): Promise<AccountRow> {
    const [row] = await this.hub.db
      .select()
      .from(quizAccounts)
      .where(and(eq(quizAccounts.quizAccountId, quizAccountId), eq(quizAccounts.deleted, false)));
    if (!row) throw quizError('ACCOUNT_NOT_CONNECTED');
    return row;
  }

  /** GET /account: the seed's User shape, with the connecting amoCRM user's e-mail/role/group from the cache. */
  async current(quizAccountId: string): Promise<Static<typeof User>> {
    const row = await this.live(quizAccountId);
    const [user] = await this.hub.db
      .select()
      .from(quizUsers)
      .where(and(eq(quizUsers.amoAccountId, row.amoAccountId), eq(quizUsers.amoId, row.amoUserId)));
    return {
      ID: row.id,
      AccountID: row.quizAccountId,
      AmoID: row.amoAccountId,
      AmocrmID: row.amoAccountId,
      Name: row.name,
      Email: user?.email ?? '',
      Role: user?.role ?? '',
      Group: user?.group ?? 0,
      Deleted: row.deleted,
      CreatedAt: unixSeconds(row.createdAt),
      Subdomain: row.subdomain,
      Amoiserid: row.amoUserId,
      AmoUserID: row.amoUserId,
      Country: row.country,
    };
  }

  /** DELETE /account: soft delete; the tokens go too unless another quiz account still uses that amoCRM account. */
  async remove(quizAccountId: string): Promise<void> {
    const row = await this.live(quizAccountId);
    await this.hub.db.update(quizAccounts).set({ deleted: true, deletedAt: new Date() }).where(eq(quizAccounts.id, row.id));
    const [shared] = await this.hub.db
      .select({ id: quizAccounts.id })
      .from(quizAccounts)
      .where(and(eq(quizAccounts.amoAccountId, row.amoAccountId), eq(quizAccounts.deleted, false), ne(quizAccounts.id, row.id)));
    // Tokens go only when no other quiz account uses that amoCRM account and no other module asked for it since.
    const amoAccount = await this.amo.getAccount(row.amoAccountId);
    const ownedByQuiz = !amoAccount?.owner || amoAccount.owner === OWNER || amoAccount.owner.startsWith(OWNER_PREFIX);
    if (!shared && ownedByQuiz) {
      try {
        await this.amo.disconnect(row.amoAccountId);
      } catch (err) {
        // The record is already deleted; a token wipe that fails is logged, not reported as a failed delete.
        this.hub.log.warn({ err, amoAccountId: row.amoAccountId }, 'quiz: amoCRM disconnect failed after account delete');
      }
    }
  }

  /** GET /webhook/delete (seed path): the connector checks the hook and tells every owner, this module included. */
  async disconnectHook(query: Record<string, string | undefined>): Promise<number> {
    try {
      return (await this.amo.handleDisconnectHook(query)).amoAccountId;
    } catch (err) {
      throw translateAmoError(err);
    }
  }

  /** An amoCRM account was disconnected (amoCRM's hook or the hub): soft-delete every quiz link to it. */
  async disconnectedByAmo(amoAccountId: number): Promise<void> {
    const rows = await this.hub.db
      .update(quizAccounts)
      .set({ deleted: true, deletedAt: new Date() })
      .where(and(eq(quizAccounts.amoAccountId, amoAccountId), eq(quizAccounts.deleted, false)))
      .returning({ id: quizAccounts.id });
    if (rows.length) this.hub.log.info({ amoAccountId, accounts: rows.length }, 'quiz: amoCRM account disconnected; quiz links removed');
  }
}

/** The connector's errors in the quiz envelope (Russian text, our codes). */
export function translateAmoError(err: unknown): Error {
  if (!isAmoError(err)) return err as Error;
  switch (err.code) {
    case 'INVALID_SIGNATURE':
      return quizError('BAD_SIGNATURE');
    case 'ACCESS_DENIED':
      return quizError('AUTHORIZATION_FAILED', 'Пользователь amoCRM не разрешил доступ');
    case 'INVALID_STATE':
      return quizError('AUTHORIZATION_FAILED', 'Ссылка подключения недействительна или устарела, получите новую');
    case 'INVALID_CALLBACK':
    case 'EXCHANGE_FAILED':
      return quizError('AUTHORIZATION_FAILED');
    case 'NOT_CONFIGURED':
      return quizError('AMO_NOT_CONFIGURED');
    case 'NOT_CONNECTED':
    case 'NEEDS_REAUTH':
      return quizError('ACCOUNT_NOT_CONNECTED', 'Доступ к amoCRM отозван, подключите аккаунт заново');
    default:
      return quizError('AMO_UNAVAILABLE');
  }
}
