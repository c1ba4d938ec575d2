/**
 * Detection: a seller's Amazon data → claims (DETECTION.md). Two layers, usable apart:
 * - rows → claims: `detectFromRows` (the service feeds rows from its database);
 * - files → rows → claims: `detect` (the `clario detect` command).
 */
export { detect, InputFileError, InputFolderError, type DetectOptions, type DetectProgress, type DetectionResult } from './detect-folder.js';
export { READ_LIMITS, type ReadLimits } from './read/file-lines.js';
export { detectFromRows, startDetection, toDay, type DetectionRun, type DetectRowsOptions, type NotLookedFor, type RowsDetection } from './detect-rows.js';
export { DEFAULT_DETECTION_CONFIG, resolveDetectionConfig, type DetectionConfig, type DetectionConfigOverrides } from './detection-config.js';
export { claimIdentity, claimStatus, compareClaims } from './make-claim.js';
export { formatDay, parseDay, parseIsoDay } from './days.js';
export { claimToJsonLine, formatClaimsTable, formatDiagnostic, formatSummary } from './format.js';
export { summarize, type DetectionSummary, type TypeSummary } from './summary.js';
export { RULES } from './rules/index.js';
export type { Books, Need, Rule, RuleContext, RuleRun, RowSink } from './rules/index.js';
export type { RowOf } from './rules/rule.js';
export { SOURCE_FILES } from './read/folder.js';
export { SOURCE_ORDER } from './rows.js';
export type * from './rows.js';
export type * from './types.js';
export { CLAIM_TYPES, CLAIM_STATUSES } from './types.js';
