// The ПТД export: the request's own checks (checks.ts), the XML (ptd-builder.ts), the XSD of the album version
// (xsd.ts) — and only a document that passes all three is recorded and returned. Knows nothing of HTTP.
import { createHash, randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import { defineQueue } from '../../platform/jobs/queue.js';
import { customsEvents, customsPtdExports } from './schema.js';
import { checkPtd } from './checks.js';
import { customsError, type Problem } from './errors.js';
import { buildPtd } from './ptd-builder.js';
import type { PtdRequest } from './ptd-contract.js';
import type { CustomsSettings } from './settings.js';
import { AlbumNotFoundError, type AlbumRegistry, type XsdProblem } from './xsd.js';

export interface PtdExport {
  readonly xml: string;
  readonly fileName: string;
  readonly documentId: string;
  readonly sha256: string;
  readonly warnings: readonly Problem[];
}

/** After an export: a note on the amoCRM lead (sent by a job, so amoCRM's state never holds the XML back). */
export const PTD_EXPORT_NOTE = defineQueue<{ exportId: number }>('customs.ptd-export-note');

export interface ExportRecord {
  id: number;
  account_id: number;
  lead_id: number;
  document_id: string;
  album_version: string;
  sha256: string;
  bytes: number;
  warnings: Problem[];
  created_at: string;
}

/** `2025-03-01T10:00:00Z`: xs:dateTime without the milliseconds. */
const now = (): string => `${new Date().toISOString().slice(0, 19)}Z`;

/** libxml2's complaints name elements `{namespace}Name`; the prefix-free name is what a reader needs. */
const readable = (message: string): string => message.replace(/\{[^}]*\}/g, '');

/** The request field of the element that starts on `line` of the pretty-printed document. */
export function fieldAtLine(xml: string, fields: readonly string[], line: number): string {
  const lines = xml.split('\n');
  let element = -1;
  for (let i = 0; i < Math.min(line, lines.length); i++) if (/^\s*<[^/?!]/.test(lines[i]!)) element++;
  return fields[Math.max(0, element)] ?? '';
}

export class PtdService {
  constructor(
    private readonly hub: Hub,
    private readonly albums: AlbumRegistry,
    private readonly settings: CustomsSettings,
  ) {}

  /**
   * The XML of the request's ПТД, XSD-valid, recorded with a timeline line and the job that notes it on the lead
   * (one transaction); PTD_INVALID (each problem by field) otherwise.
   */
  async export(accountId: number, req: PtdRequest): Promise<PtdExport> {
    const { xml, documentId, version, warnings } = await this.generate(req);
    const sha256 = createHash('sha256').update(xml).digest('hex');
    const bytes = Buffer.byteLength(xml);
    await this.hub.database.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(customsPtdExports)
        .values({ amoAccountId: accountId, leadId: req.leadId, documentId, albumVersion: version, sha256, bytes, warnings })
        .returning({ id: customsPtdExports.id });
      await tx.insert(customsEvents).values({
        amoAccountId: accountId,
        leadId: req.leadId,
        source: 'hub',
        kind: 'ptd_export',
        step: 'exported',
        summary: `Сформирован XML ПТД (DocumentID ${documentId}, ${bytes} байт${warnings.length ? `, замечаний: ${warnings.length}` : ''})`,
        at: new Date(),
        details: { exportId: row!.id, documentId, sha256, albumVersion: version, warnings },
      });
      await this.hub.jobs.send(PTD_EXPORT_NOTE, { exportId: row!.id }, { tx });
    });
    return { xml, fileName: `ptd-${req.leadId}.xml`, documentId, sha256, warnings };
  }

  /** Checks, builds and validates without recording (the benchmark measures this). */
  async generate(req: PtdRequest): Promise<{ xml: string; documentId: string; version: string; warnings: Problem[] }> {
    const { errors, warnings } = checkPtd(req);
    if (errors.length) throw customsError('PTD_INVALID', undefined, errors);
    const version = req.albumVersion ?? this.settings.albumVersion;
    const album = await this.albums.get(version).catch((err: unknown) => {
      if (err instanceof AlbumNotFoundError && req.albumVersion !== undefined)
        throw customsError('ALBUM_UNKNOWN', undefined, [
          { field: 'albumVersion', code: 'ALBUM_UNKNOWN', message: `Версия ${version} не установлена` },
        ]);
      throw err;
    });
    const documentId = req.documentId ?? randomUUID();
    const built = buildPtd(req, {
      namespaces: album.namespaces,
      documentId,
      createdAt: req.createdAt ?? now(),
      edocCode: this.settings.edocCode,
    });
    const problems = album.validate(built.xml);
    if (problems.length) throw customsError('PTD_INVALID', undefined, this.#byField(built.xml, built.fields, problems));
    return { xml: built.xml, documentId, version, warnings };
  }

  #byField(xml: string, fields: readonly string[], problems: readonly XsdProblem[]): Problem[] {
    return problems.map((p) => ({
      field: fieldAtLine(xml, fields, p.line),
      code: 'XSD',
      message: `Не проходит XSD-схему ПТД: ${readable(p.message)}`,
    }));
  }

  async exportsOf(leadId: number, accountId?: number): Promise<ExportRecord[]> {
    const rows = await this.hub.database.query<Omit<ExportRecord, 'created_at'> & { created_at: Date | string }>(
      `select id, amo_account_id as account_id, lead_id, document_id, album_version, sha256, bytes, warnings, created_at
         from customs_ptd_exports where lead_id = $1 and ($2::bigint is null or amo_account_id = $2) order by id desc`,
      [leadId, accountId ?? null],
    );
    return rows.map((r) => ({
      ...r,
      id: Number(r.id),
      account_id: Number(r.account_id),
      lead_id: Number(r.lead_id),
      created_at: new Date(r.created_at).toISOString(),
    }));
  }

  async exportById(id: number): Promise<ExportRecord | undefined> {
    const [row] = await this.hub.database.query<Omit<ExportRecord, 'created_at'> & { created_at: Date | string }>(
      `select id, amo_account_id as account_id, lead_id, document_id, album_version, sha256, bytes, warnings, created_at
         from customs_ptd_exports where id = $1`,
      [id],
    );
    return (
      row && {
        ...row,
        id: Number(row.id),
        account_id: Number(row.account_id),
        lead_id: Number(row.lead_id),
        created_at: new Date(row.created_at).toISOString(),
      }
    );
  }
}
