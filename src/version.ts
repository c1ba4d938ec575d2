import { readFileSync } from 'node:fs';

/** The package's version, read once; its own module so the CLI can print it without loading the service. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
