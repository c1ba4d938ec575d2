// The database is the truth; queues only carry ids. Each feature keeps its tables in its own file
// here; this index gathers them for drizzle's typed database (src/store/db.ts). Code that reads or
// writes a table imports its feature file, not this index.
export * from './billing-tables.js';
export * from './claims-tables.js';
export * from './connect-tables.js';
export * from './evidence-tables.js';
export * from './filing-tables.js';
export * from './learning-tables.js';
export * from './mirror-tables.js';
export * from './payouts-tables.js';
export * from './proof-tables.js';
export * from './reminder-tables.js';
export * from './sync-tables.js';
export * from './workflow-tables.js';
