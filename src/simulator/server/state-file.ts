/**
 * The simulator's durable state in a file, so that the embedded demo's Amazon remembers across a
 * restart what Amazon would: the grant Clario holds (without it the demo seller had to connect
 * again after every restart), the accounts that signed in, and the case log. Saved before the
 * answer that changed it is sent, by a write to a temporary file and a rename, so a crash leaves
 * the old file or the new one, never half of one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { DurableState, SimCase, SimulatorState } from './state.js';

const Pairs = <T extends z.ZodType>(value: T) => z.array(z.tuple([z.string(), value]));

const StateFile = z.object({
  version: z.literal(1),
  state: z.object({
    seq: z.number().int().nonnegative(),
    refreshTokens: Pairs(z.string()),
    profileRefreshTokens: Pairs(z.object({ account: z.string(), scope: z.string() })),
    accounts: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string() })),
    // The case log is the simulator's own record, written by save(); its fields are checked where
    // they are read, as for a case filed over HTTP.
    cases: z.array(z.looseObject({ case_id: z.string(), seller_id: z.string(), status: z.enum(['open', 'approved', 'rejected']) })),
    casesByKey: Pairs(z.string()),
    addedReimbursements: Pairs(z.array(z.record(z.string(), z.string()))),
  }),
});

/** Reads the state file into `state`; a missing file is a first start. A damaged one is refused, naming the file. */
export function loadState(file: string, state: SimulatorState): void {
  if (!existsSync(file)) return;
  let parsed: z.infer<typeof StateFile>;
  try {
    parsed = StateFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? 'its content is not the simulator state' : err instanceof Error ? err.message : String(err);
    throw new Error(`the Amazon simulator's state file ${file} cannot be read (${why}); move it away to start the simulator afresh (the demo seller then connects again)`);
  }
  state.restore({ ...parsed.state, cases: parsed.state.cases as unknown as SimCase[] } satisfies DurableState);
}

/** Writes the durable state when it changed since the last save; returns whether it wrote. */
export function createStateSaver(file: string, state: SimulatorState): () => boolean {
  let last = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return () => {
    const text = JSON.stringify({ version: 1, state: state.durable() });
    if (text === last) return false;
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    last = text;
    return true;
  };
}
