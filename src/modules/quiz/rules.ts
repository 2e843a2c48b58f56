// One rule per quiz: where its leads go (pipeline, step, responsible) and how answers fill fields and tags.
// Saving checks every id against our cache of this amoCRM account (400 naming the bad ones) and enqueues the
// follow-up (the seed's Kafka task) that re-checks the mapping against fresh amoCRM data.
import { and, eq } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import type { DbExecutor } from '../../platform/db/database.js';
import { quizRules, type StoredFieldsRule, type StoredTags } from './schema.js';
import { quizError } from './errors.js';
import { QUEUES } from './queues.js';
import type { AccountService } from './accounts.js';
import type { DirectoryService } from './directories.js';
import type { FieldsRuleReq, Rule, RulesReq } from './contract.js';
import { loadCache, type AccountCache } from './cache.js';
import { unixSeconds } from './time.js';

export type RuleRow = typeof quizRules.$inferSelect;

const ENTITY_KEYS = [
  ['Lead', 'lead', 'leads'],
  ['Contact', 'contact', 'contacts'],
  ['Company', 'company', 'companies'],
  ['Customer', 'customer', 'customers'],
] as const;

/** "123" → 123; the seed's path quizID is a string, its Rule.QuizID an integer. */
export function parseQuizId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw quizError('BAD_QUIZ_ID');
  return Number(raw);
}

export class RuleService {
  constructor(
    private readonly hub: Hub,
    private readonly accounts: AccountService,
    private readonly directories: DirectoryService,
  ) {}

  async get(quizAccountId: string, quizId: number): Promise<Rule> {
    const row = await this.#find(this.hub.db, quizAccountId, quizId);
    if (!row) throw quizError('RULE_NOT_FOUND');
    return toRule(row);
  }

  async create(quizAccountId: string, quizId: number, req: RulesReq): Promise<void> {
    const account = await this.accounts.live(quizAccountId);
    const missing = (['PerformerID', 'PipelineID', 'StepID'] as const).filter((k) => req[k] === undefined);
    if (missing.length) throw quizError('RULE_INVALID', `Не указаны обязательные поля: ${missing.join(', ')}`);
    if (await this.#find(this.hub.db, quizAccountId, quizId)) throw quizError('RULE_EXISTS');
    const rule = normalise(req, undefined);
    await this.#validate(account.amoAccountId, rule);
    await this.hub.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(quizRules)
        .values({ quizAccountId, amoAccountId: account.amoAccountId, quizId, ...rule, state: 'pending', problems: [] })
        .onConflictDoNothing()
        .returning({ id: quizRules.id });
      if (!row) throw quizError('RULE_EXISTS'); // a concurrent POST won
      await this.hub.jobs.send(QUEUES.ruleCheck, { ruleId: row.id }, { tx });
    });
  }

  /** PATCH: the given parts replace the stored ones; the rule moves to the currently connected amoCRM account. */
  async update(quizAccountId: string, quizId: number, req: RulesReq): Promise<void> {
    const account = await this.accounts.live(quizAccountId);
    const existing = await this.#find(this.hub.db, quizAccountId, quizId);
    if (!existing) throw quizError('RULE_NOT_FOUND');
    const rule = normalise(req, existing);
    await this.#validate(account.amoAccountId, rule);
    await this.hub.db.transaction(async (tx) => {
      await tx
        .update(quizRules)
        .set({ ...rule, amoAccountId: account.amoAccountId, state: 'pending', problems: [], updatedAt: new Date() })
        .where(eq(quizRules.id, existing.id));
      await this.hub.jobs.send(QUEUES.ruleCheck, { ruleId: existing.id }, { tx });
    });
  }

  /** The follow-up job: refresh the account's directories from amoCRM, then mark the rule ready or broken. */
  async check(ruleId: number): Promise<{ state: string; problems: string[] }> {
    const [row] = await this.hub.db.select().from(quizRules).where(eq(quizRules.id, ruleId));
    if (!row) return { state: 'gone', problems: [] };
    await this.directories.sync(row.amoAccountId, ['users', 'pipelines', 'steps', 'fields', 'tags']);
    const problems = ruleProblems(await loadCache(this.hub.db, row.amoAccountId), row);
    const state = problems.length ? 'broken' : 'ready';
    await this.hub.db.update(quizRules).set({ state, problems, checkedAt: new Date() }).where(eq(quizRules.id, ruleId));
    if (problems.length) this.hub.log.warn({ ruleId, quizId: row.quizId, problems }, 'quiz: rule does not match amoCRM any more');
    return { state, problems };
  }

  async #validate(amoAccountId: number, rule: RuleParts): Promise<void> {
    const problems = ruleProblems(await loadCache(this.hub.db, amoAccountId), rule);
    if (problems.length)
      throw quizError('RULE_INVALID', `Не найдены в amoCRM (обновите справочники или исправьте правило): ${problems.join('; ')}`, {
        problems,
      });
  }

  #find(db: DbExecutor, quizAccountId: string, quizId: number): Promise<RuleRow | undefined> {
    return db
      .select()
      .from(quizRules)
      .where(and(eq(quizRules.quizAccountId, quizAccountId), eq(quizRules.quizId, quizId)))
      .then((rows) => rows[0]);
  }
}

type RuleParts = Pick<RuleRow, 'performerId' | 'pipelineId' | 'stepId' | 'fieldsRule' | 'tagsToAdd'>;

/** The rule's maps from either spelling (`Fieldsrule.Lead`, `FieldsRule.lead`); one part given twice is a 400. */
function fieldsOf(req: RulesReq): Partial<Record<'lead' | 'contact' | 'company' | 'customer', StoredFieldsRule['lead']>> {
  if (req.Fieldsrule && req.FieldsRule)
    throw quizError('RULE_INVALID', 'Укажите правила полей один раз: Fieldsrule или FieldsRule, не оба');
  const fr: FieldsRuleReq = req.Fieldsrule ?? req.FieldsRule ?? {};
  const out: Partial<Record<'lead' | 'contact' | 'company' | 'customer', StoredFieldsRule['lead']>> = {};
  for (const [upper, lower] of ENTITY_KEYS) {
    if (fr[upper] && fr[lower]) throw quizError('RULE_INVALID', `Укажите ${upper} один раз: ${upper} или ${lower}, не оба`);
    const maps = fr[upper] ?? fr[lower];
    if (maps) out[lower] = maps;
  }
  return out;
}

function normalise(req: RulesReq, existing: RuleRow | undefined): RuleParts {
  const fr = fieldsOf(req);
  const fieldsRule: StoredFieldsRule = {
    lead: fr.lead ?? existing?.fieldsRule.lead ?? [],
    contact: fr.contact ?? existing?.fieldsRule.contact ?? [],
    company: fr.company ?? existing?.fieldsRule.company ?? [],
    customer: fr.customer ?? existing?.fieldsRule.customer ?? [],
  };
  const t = req.TagsToAdd;
  const tagsToAdd: StoredTags = {
    Lead: t?.Lead ?? existing?.tagsToAdd.Lead ?? [],
    Contact: t?.Contact ?? existing?.tagsToAdd.Contact ?? [],
    Company: t?.Company ?? existing?.tagsToAdd.Company ?? [],
    Customer: t?.Customer ?? existing?.tagsToAdd.Customer ?? [],
  };
  return {
    performerId: req.PerformerID ?? existing!.performerId,
    pipelineId: req.PipelineID ?? existing!.pipelineId,
    stepId: req.StepID ?? existing!.stepId,
    fieldsRule,
    tagsToAdd,
  };
}

/**
 * Why customer maps and tags are refused rather than cached: amoCRM's complex-lead call (the one delivery uses)
 * creates no customer, so a customer rule could never be applied; caching customer fields would only let such a
 * rule be saved and then silently do nothing. The reason travels in the 400 itself.
 */
export const CUSTOMERS_REFUSED =
  'покупатели не поддерживаются: сделка создаётся через complex-lead amoCRM, который не создаёт покупателей; поля и теги покупателей не кэшируются';

/** Every id of the rule that our cache does not know (or knows as deleted), as readable strings. */
export function ruleProblems(cache: AccountCache, rule: RuleParts): string[] {
  const problems: string[] = [];
  if (!cache.users.has(rule.performerId)) problems.push(`PerformerID ${rule.performerId}`);
  if (!cache.pipelines.has(rule.pipelineId)) problems.push(`PipelineID ${rule.pipelineId}`);
  else if (!cache.steps.has(`${rule.pipelineId}:${rule.stepId}`)) problems.push(`StepID ${rule.stepId} (воронка ${rule.pipelineId})`);
  for (const [upper, lower, entity] of ENTITY_KEYS) {
    const badFields = new Set<number>();
    for (const map of rule.fieldsRule[lower]) {
      for (const fieldId of Object.values(map)) if (!cache.fields.get(entity)?.has(fieldId)) badFields.add(fieldId);
    }
    const why = upper === 'Customer' ? ` (${CUSTOMERS_REFUSED})` : '';
    if (badFields.size) problems.push(`Fieldsrule.${upper} ${[...badFields].join(', ')}${why}`);
    const badTags = rule.tagsToAdd[upper].filter((id) => cache.tags.get(id)?.entity !== entity);
    if (badTags.length) problems.push(`TagsToAdd.${upper} ${badTags.join(', ')}${why}`);
  }
  return problems;
}

export function toRule(row: RuleRow): Rule {
  return {
    ID: row.id,
    AccountID: row.amoAccountId,
    QuizID: row.quizId,
    PerformerID: row.performerId,
    PipelineID: row.pipelineId,
    StepID: row.stepId,
    FieldsRule: row.fieldsRule,
    TagsToAdd: row.tagsToAdd,
    Deleted: row.deleted,
    CreatedAt: unixSeconds(row.createdAt),
    Status: row.state,
    Problems: row.problems,
  };
}
