// The note an export leaves on the amoCRM lead («Сформирован XML ПТД…»), written by a job after the answer: the XML
// never waits for amoCRM, and an amoCRM outage only delays the note. A note written is a timeline line, so a
// retried job does not write it twice; one whose earlier attempt may have reached amoCRM (a lost answer, a crash
// before the line) looks for the note first (note-once.ts: the text names the document and its SHA-256). A refusal
// for good (lead deleted, account disconnected) is a line too.
import type { Logger } from 'pino';
import { isAmoError, type AmoConnector } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import type { EventLog } from './events.js';
import type { PtdService } from './ptd.js';
import { addNoteOnce } from './note-once.js';

export class ExportNotes {
  constructor(
    private readonly hub: Hub,
    private readonly ptd: PtdService,
    private readonly events: EventLog,
    private readonly amo: AmoConnector,
  ) {}

  /** `retryCount`: the job's earlier attempts (pg-boss counts a crashed one when it expires). */
  async note(exportId: number, log: Logger, retryCount = 0): Promise<void> {
    const e = await this.ptd.exportById(exportId);
    if (!e) return;
    const [done] = await this.hub.database.query(
      "select 1 from customs_events where kind = 'ptd_export' and step in ('amo_noted', 'amo_failed') and (details->>'exportId')::bigint = $1",
      [exportId],
    );
    if (done) return;
    const lines = [
      `Сформирован XML ПТД для Альты (альбом ${e.album_version}).`,
      `DocumentID: ${e.document_id}`,
      `SHA-256: ${e.sha256}`,
      ...e.warnings.map((w) => `Замечание: ${w.field} — ${w.message}`),
    ];
    const base = { accountId: e.account_id, leadId: e.lead_id, source: 'hub', kind: 'ptd_export' };
    try {
      await addNoteOnce(this.amo.api(e.account_id), e.lead_id, lines.join('\n'), retryCount > 0);
    } catch (err) {
      if (!isAmoError(err) || err.retryable) throw err;
      log.warn({ exportId, leadId: e.lead_id, code: err.code }, 'customs: amoCRM refused the export note');
      await this.events.record({ ...base, step: 'amo_failed', summary: `amoCRM отказал в примечании: ${err.code}`, details: { exportId } });
      return;
    }
    await this.events.record({
      ...base,
      step: 'amo_noted',
      summary: 'Примечание о выгрузке ПТД добавлено в сделку',
      details: { exportId },
    });
  }
}
