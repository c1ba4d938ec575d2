import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every feature's tables (src/store/schema/<feature>-tables.ts); the index only re-exports them.
  schema: './src/store/schema/*-tables.ts',
  out: './migrations',
});
