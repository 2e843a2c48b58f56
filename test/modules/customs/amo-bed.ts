// The bed of the amoCRM-side customs tests: a hub with the account connected, a lead on the first stage of a
// pipeline, a text field for the registration number and Alta's token; posting, timeline and lead readers.
import { eventually } from '../../helpers/hub.js';
import { ACCOUNT, admin, customsHub, tokenOf, type CustomsTestHub } from './helpers.js';

export interface Bed {
  h: CustomsTestHub;
  alta: string;
  leadId: number;
  stage: { pipeline: number; first: number; released: number; other: number };
  field: number;
  subdomain: string;
}

export async function bed(t: Parameters<typeof customsHub>[0]): Promise<Bed> {
  const h = await customsHub(t);
  const account = h.amoEmu.control.accounts().find((a) => a.id === ACCOUNT)!;
  const pipeline = account.pipelines.find((p) => !p.is_archive && p.statuses.length >= 4)!;
  const [first, , released, other] = pipeline.statuses.filter((s) => s.type === 0).map((s) => s.id);
  const field = h.amoEmu.control.addCustomField('leads', { name: 'Рег. номер ПТД', type: 'text' }, account.subdomain);
  const [lead] = await h.connectors.amo.api(ACCOUNT).leads.create([{ name: 'Toyota Camry', pipeline_id: pipeline.id, status_id: first! }]);
  return {
    h,
    alta: await tokenOf(h, 'alta'),
    leadId: lead!.id,
    stage: { pipeline: pipeline.id, first: first!, released: released!, other: other! },
    field,
    subdomain: account.subdomain,
  };
}

export const post = (b: Bed, path: string, body: object, token = b.alta) =>
  b.h.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', 'x-hub-token': token },
    payload: JSON.stringify(body),
  });

export const ptd = (b: Bed, eventId: string, occurredAt: string, status: string, extra: object = {}) =>
  post(b, '/alta/ptd/status-webhook', { eventId, leadId: b.leadId, occurredAt, status, ...extra });

export const timeline = async (b: Bed) =>
  (await admin(b.h, 'GET', `/deals/${b.leadId}/timeline`)).json().events as Array<{
    kind: string;
    step: string;
    code: string | null;
    raw: string | null;
    summary: string;
  }>;

/** Waits until the timeline has `n` lines with one of the final steps. */
export const settled = (b: Bed, n: number) =>
  eventually(async () => {
    const final = (await timeline(b)).filter((e) => ['stale', 'no_mapping', 'amo_updated', 'amo_failed'].includes(e.step));
    return final.length >= n ? final : undefined;
  });

export const lead = (b: Bed) =>
  b.h.amoEmu.control.entities.get('leads', b.leadId, b.subdomain) as {
    status_id: number;
    custom_fields_values?: Array<{ field_id: number; values: Array<{ value: unknown }> }>;
  };
export const notes = (b: Bed) =>
  b.h.amoEmu.control.entities.notes('leads', b.leadId, b.subdomain).map((n) => (n.params as { text: string }).text);
