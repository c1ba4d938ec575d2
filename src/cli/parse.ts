// The command line's grammar, for every command alike: node:util's parseArgs in strict mode over
// each command's option table, `--help` on every command, and one-line usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface Parsed {
  readonly values: Values;
  readonly positionals: string[];
  /** The arguments after the command's name, as given. */
  readonly argv: string[];
}

/** Exit codes: 0 done, 1 failed (configuration, a folder in use, a port taken), 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2, keepsRunning: -1 } as const;

export interface Command {
  /** One word, or a group and a subcommand: 'learning replay'. */
  readonly name: string;
  /** What follows the name in the usage line. */
  readonly synopsis: string;
  readonly summary: string;
  /** More lines for `--help`: options, exit codes. */
  readonly details?: string;
  readonly options: Options;
  /** How many positional arguments: [min, max]; none by default. */
  readonly positionals?: readonly [number, number];
  /** Resolves with the exit code, or EXIT.keepsRunning for a server. */
  run(parsed: Parsed, io: CliIo): Promise<number>;
}

/** A command line that cannot be run as written: exit 2, one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function usageOf(c: Command): string {
  const head = `usage: clario ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}\n\n${c.summary}\n`;
  return c.details ? `${head}\n${c.details.trimEnd()}\n` : head;
}

const HELP_OPTION: Options = { help: { type: 'boolean', short: 'h' } };

/** parseArgs's error in one line: it explains some over several, and the first part says what is wrong. */
export function argsErrorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split(/\n|(?<=\.) To specify/)[0] ?? 'bad arguments';
}

/** Parses a command's arguments; `help: true` when --help is among them. Throws UsageError. */
export function parseCommand(c: Command, argv: string[]): Parsed & { help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...c.options, ...HELP_OPTION }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(argsErrorLine(err));
  }
  const { help, ...values } = parsed.values as Values;
  if (help) return { values, positionals: parsed.positionals, argv, help: true };
  const [min, max] = c.positionals ?? [0, 0];
  const n = parsed.positionals.length;
  if (n > max) throw new UsageError(`unexpected argument '${parsed.positionals[max] ?? ''}'`);
  if (n < min) throw new UsageError(`${min - n} argument${min - n === 1 ? '' : 's'} missing: ${c.synopsis}`);
  return { values, positionals: parsed.positionals, argv, help: false };
}

/** The overview `clario --help` prints: every command's usage line and summary. */
export function overview(version: string, commands: readonly Command[]): string {
  const lines = commands.map((c) => `  clario ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}\n      ${c.summary}`);
  return `clario ${version}: recovers money Amazon owes FBA sellers

Usage:
${lines.join('\n')}

'clario COMMAND --help' explains a command. Exit codes: 0 done, 1 failed, 2 bad usage.
Configuration comes from the environment; see the README.
`;
}

/**
 * Finds the command argv names (the longest match, so 'learning replay' before 'learning'),
 * parses it and runs it. Help and usage errors never reach a command's run().
 */
export async function dispatch(commands: readonly Command[], argv: string[], io: CliIo, version: string): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    io.stdout.write(overview(version, commands));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === `${first} ${second ?? ''}`) ?? commands.find((c) => c.name === first);
  if (!command) {
    const group = commands.filter((c) => c.name.startsWith(`${first} `));
    if (group.length === 0) return usageError(io, 'clario', `unknown command '${first}'`);
    // A group alone ('clario learning'): its help lists the subcommands.
    const listing = `usage: clario ${first} ${group.map((c) => c.name.slice(first.length + 1)).join('|')} ...\n\n${group.map((c) => `  clario ${c.name} ${c.synopsis}\n      ${c.summary}`).join('\n')}\n`;
    if (second === '--help' || second === '-h') {
      io.stdout.write(listing);
      return EXIT.ok;
    }
    return usageError(io, `clario ${first}`, second === undefined ? 'say which: ' + group.map((c) => c.name.slice(first.length + 1)).join(', ') : `unknown subcommand '${second}'`);
  }
  const rest = argv.slice(command.name.split(' ').length);
  let parsed;
  try {
    parsed = parseCommand(command, rest);
    if (parsed.help) {
      io.stdout.write(usageOf(command));
      return EXIT.ok;
    }
    return await command.run(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, `clario ${command.name}`, err.message);
    throw err;
  }
}

function usageError(io: CliIo, who: string, message: string): number {
  const help = who === 'clario' ? 'clario --help' : `${who} --help`;
  io.stderr.write(`${who}: ${message} (${help} shows usage)\n`);
  return EXIT.usage;
}
