import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations into the folder wrangler applies (wrangler.toml `migrations_dir`).
export default defineConfig({
  dialect: 'sqlite',
  schema: './d1/schema.ts',
  out: './d1/migrations',
});
