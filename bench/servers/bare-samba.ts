// The SAMBA benchmark's baseline: bare Fastify routes running the module's own SQL on their own pool, no auth, no
// validation, no error envelope: /bare/po?rk_id= | ?number= (the invoice list statement, mapped and wrapped as
// the API answers) and /bare/files/po?uuid=&ext= (the print form's statement, the same model and renderer, base64).
// Runs as its own process; prints its origin.
//   node --import tsx bench/servers/bare-samba.ts <DATABASE_URL>
import Fastify from 'fastify';
import pg from 'pg';
import { invoiceView, SELECT_INVOICE } from '../../src/modules/samba/invoices.js';
import { buildForm, render, SELECT_FORM, type Format, type FormRow } from '../../src/modules/samba/print-form.js';
import { Where } from '../../src/modules/samba/store.js';

const pool = new pg.Pool({ connectionString: process.argv[2], max: 20, min: 20 });
const supplier = JSON.parse(process.argv[3] ?? '{}');
const app = Fastify({ logger: false });

app.get<{ Querystring: { rk_id?: string; number?: string } }>('/bare/po', async (req) => {
  const where = new Where().eq('r.rk_id', req.query.rk_id);
  if (req.query.number) where.raw('(i.number = ? or i.ext_number = ?)', req.query.number, req.query.number);
  const { rows } = await pool.query(`${SELECT_INVOICE} ${where} order by i.date, i.number`, where.params);
  return { status: 'ok', message: null, result: rows.map(invoiceView) };
});
app.get<{ Querystring: { uuid: string; ext?: Format } }>('/bare/files/po', async (req) => {
  const { rows } = await pool.query<FormRow>(SELECT_FORM, [req.query.uuid]);
  const form = buildForm(rows[0]!, supplier);
  const ext = req.query.ext ?? 'pdf';
  const data = (await render(form, ext)).toString('base64');
  return { status: 'ok', message: null, result: { name: `Счет ${form.number} от ${form.day}.${ext}`, ext, data } };
});
process.stdout.write(`${await app.listen({ host: '127.0.0.1', port: 0 })}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
