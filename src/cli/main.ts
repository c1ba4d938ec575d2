#!/usr/bin/env node
// The `clario` command. The commands are in commands.ts; parse.ts gives them one grammar.
import { VERSION } from '../version.js';
import { COMMANDS } from './commands.js';
import { dispatch, EXIT } from './parse.js';

/**
 * Failures the user can act on, by name (the commands load their modules lazily): the message
 * alone (one line, or ConfigError's list), no stack.
 */
const EXPLAINED = new Set(['ConfigError', 'StartupError', 'DataDirInUseError', 'NoSecretsError', 'PortInUseError', 'ListenError', 'DatabaseUnreachableError', 'RedisUnreachableError', 'KeyMismatchError']);

dispatch(COMMANDS, process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, VERSION).then(
  (code) => {
    if (code !== EXIT.keepsRunning) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof Error && EXPLAINED.has(err.name)) console.error(`clario: ${(err).message}`);
    else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') console.error(`clario: ${err.message}: is Clario already running? Set PORT to use another port.`);
    else console.error('clario: failed:', err);
    process.exitCode = EXIT.failed;
  },
);
