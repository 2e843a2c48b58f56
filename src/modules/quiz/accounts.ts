// Connecting a quiz account to amoCRM and letting go of it. OAuth, tokens and the disconnect-hook signature are
// the connector's business; this service keeps the seed's account record (one live connection per quiz
// account, soft-deleted, re-connectable) and starts the first directory sync.
import { and, eq, ne } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { isAmoError, type AmoConnector } from '../../connectors/amocrm/index.js';
import { quizAccounts, quizUsers } from './schema.js';
import { quizError } from './errors.js';
import { QUEUES } from './queues.js';
import { ALL_DIRECTORIES } from './directories.js';
import type { Static } from '@sinclair/typebox';
import type { User } from './contract.js';
import { unixSeconds } from './time.js';

export type AccountRow = typeof quizAccounts.$inferSelect;

const OWNER_PREFIX = 'quiz:';

export class AccountService {
  constructor(
    private readonly hub: Hub,
    private readonly amo: AmoConnector,
  ) {}

  /** POST /account: the consent link, bound (state) to this quiz account. */
  async connectLink(quizAccountId: string): Promise<string> {
    try {
      return await this.amo.authorizeUrl(`${OWNER_PREFIX}${quizAccountId}`);
    } catch (err) {
      throw translateAmoError(err);
    }
  }

  /**
   * GET /webhook/create: the connector exchanges the code; we record the connection (replacing a live one of the
   * same quiz account) and enqueue the first sync in the same transaction.
   */
  async completeConnect(query: Record<string, string | undefined>): Promise<AccountRow> {
    let owner: string;
    let account: Awaited<ReturnType<AmoConnector['completeAuthorization']>>['account'];
    try {
      ({ owner, account } = await this.amo.completeAuthorization(query));
    } catch (err) {
      throw translateAmoError(err);
    }
    if (!owner.startsWith(OWNER_PREFIX)) throw quizError('AUTHORIZATION_FAILED', 'Ссылка подключения выдана не для квиза');
    const quizAccountId = owner.slice(OWNER_PREFIX.length);
    return this.hub.db.transaction(async (tx) => {
      await tx
        .update(quizAccounts)
        .set({ deleted: true, deletedAt: new Date() })
        .where(and(eq(quizAccounts.quizAccountId, quizAccountId), eq(quizAccounts.deleted, false)));
      const [row] = await tx
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
      return row!;
    });
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
    if (!shared) {
      try {
        await this.amo.disconnect(row.amoAccountId);
      } catch (err) {
        // The record is already deleted; a token wipe that fails is logged, not reported as a failed delete.
        this.hub.log.warn({ err, amoAccountId: row.amoAccountId }, 'quiz: amoCRM disconnect failed after account delete');
      }
    }
  }

  /** GET /webhook/delete: amoCRM says the integration was switched off; soft-delete every link to that account. */
  async disconnectedByAmo(query: Record<string, string | undefined>): Promise<number> {
    let amoAccountId: number;
    try {
      ({ amoAccountId } = await this.amo.handleDisconnectHook(query));
    } catch (err) {
      throw translateAmoError(err);
    }
    const rows = await this.hub.db
      .update(quizAccounts)
      .set({ deleted: true, deletedAt: new Date() })
      .where(and(eq(quizAccounts.amoAccountId, amoAccountId), eq(quizAccounts.deleted, false)))
      .returning({ id: quizAccounts.id });
    this.hub.log.info({ amoAccountId, accounts: rows.length }, 'quiz: amoCRM integration disconnected by amoCRM');
    return amoAccountId;
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
