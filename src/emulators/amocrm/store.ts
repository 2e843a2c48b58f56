// In-memory state of the emulator: accounts (each with its own users, pipelines, fields, tags, entities, notes,
// links and webhooks) and integrations. Plain maps: the emulator is a test double, but the benchmark pushes
// thousands of leads through it, so lookups are by key, never by scanning when avoidable.
import type { EmulatorClock } from '../kit/index.js';
import type { CustomField, Entity, EntityType, Link, Note, Pipeline, Tag, User, WebhookSubscription } from './types.js';

/** amoCRM ids are integers unique across the platform; each kind gets its own range so they are easy to tell apart. */
const ID_BASES = {
  account: 31_000_000,
  user: 5_000_000,
  pipeline: 7_000_000,
  status: 60_000_000,
  field: 900_000,
  enum: 1_500_000,
  tag: 80_000,
  lead: 20_000_000,
  contact: 30_000_000,
  company: 40_000_000,
  note: 70_000_000,
  webhook: 1_000,
} as const;
export type IdKind = keyof typeof ID_BASES;

export class IdSequence {
  private readonly next = new Map<IdKind, number>();
  take(kind: IdKind): number {
    const id = (this.next.get(kind) ?? ID_BASES[kind]) + 1;
    this.next.set(kind, id);
    return id;
  }
}

export interface Integration {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  name: string;
  /** GET hook sent when an account disconnects the integration. */
  disconnectHookUrl: string | null;
  /** Duplicate control for /leads/complex, switched on per integration (amoCRM: per integration in an account). */
  duplicateControl: boolean;
  /** Consent answered without a human (tests); null shows the HTML page. */
  autoConsent: 'allow' | 'deny' | null;
}

export class AccountState {
  readonly users: User[] = [];
  readonly pipelines: Pipeline[] = [];
  readonly customFields: Record<EntityType, CustomField[]> = { leads: [], contacts: [], companies: [] };
  readonly tags: Record<EntityType, Map<number, Tag>> = { leads: new Map(), contacts: new Map(), companies: new Map() };
  readonly entities: Record<EntityType, Map<number, Entity>> = { leads: new Map(), contacts: new Map(), companies: new Map() };
  readonly notes = new Map<number, Note>();
  /** Links indexed from both ends: key `${type}:${id}`. */
  readonly links = new Map<string, Link[]>();
  readonly webhooks = new Map<number, WebhookSubscription>();
  /** Answer every API call with 402 Payment Required (an unpaid account). */
  unpaid = false;
  apiFilterEnabled = false;

  constructor(
    readonly id: number,
    public subdomain: string,
    public name: string,
    readonly createdAt: number,
  ) {}

  user(id: number): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  admin(): User {
    const admin = this.users.find((u) => u.isAdmin && u.isActive);
    if (!admin) throw new Error(`account ${this.subdomain} has no active admin`);
    return admin;
  }

  field(type: EntityType, id: number): CustomField | undefined {
    return this.customFields[type].find((f) => f.id === id);
  }

  fieldByCode(type: EntityType, code: string): CustomField | undefined {
    return this.customFields[type].find((f) => f.code === code);
  }

  pipeline(id: number): Pipeline | undefined {
    return this.pipelines.find((p) => p.id === id);
  }

  mainPipeline(): Pipeline {
    const main = this.pipelines.find((p) => p.is_main) ?? this.pipelines[0];
    if (!main) throw new Error(`account ${this.subdomain} has no pipelines`);
    return main;
  }
}

export class EmulatorStore {
  readonly ids = new IdSequence();
  readonly accounts = new Map<string, AccountState>();
  readonly integrations = new Map<string, Integration>();

  constructor(readonly clock: EmulatorClock) {}

  account(subdomain: string): AccountState | undefined {
    return this.accounts.get(subdomain);
  }

  accountById(id: number): AccountState | undefined {
    for (const a of this.accounts.values()) if (a.id === id) return a;
    return undefined;
  }

  /** Throws for a test's typo: the control API names accounts by subdomain. */
  requireAccount(subdomain: string): AccountState {
    const account = this.accounts.get(subdomain);
    if (!account) throw new Error(`no emulated account with subdomain "${subdomain}"`);
    return account;
  }

  requireIntegration(clientId: string): Integration {
    const integration = this.integrations.get(clientId);
    if (!integration) throw new Error(`no emulated integration with client_id "${clientId}"`);
    return integration;
  }

  clear(): void {
    this.accounts.clear();
    this.integrations.clear();
  }
}
