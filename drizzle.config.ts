import { defineConfig } from 'drizzle-kit';

// One schema (every src/**/schema.ts) and one migration folder, applied to both PGlite and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/**/schema.ts', './src/connectors/**/schema.ts', './src/modules/**/schema.ts'],
  out: './drizzle',
});
