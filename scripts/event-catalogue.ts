// Writes docs/events.md from the event schemas (npm run docs:events).
import { writeFileSync } from 'node:fs';
import { renderCatalogue } from '../src/workflow/messages.js';

writeFileSync(new URL('../docs/events.md', import.meta.url), renderCatalogue());
console.log('docs/events.md written');
