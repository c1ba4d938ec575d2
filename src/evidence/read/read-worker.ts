// The reading worker: one file, read from disk in this thread, the outcome posted back. Started
// by read-off-thread.ts, which bounds its time and memory and ends it when either runs out.
import { readFile as readBytes } from 'node:fs/promises';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { checkFile, readFile, UnsupportedFileError } from './read-evidence.js';
import type { ReadTask, WorkerMessage } from './read-task.js';

const task = workerData as ReadTask;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function run(): Promise<WorkerMessage> {
  const bytes = await readBytes(task.path);
  if (task.op === 'check') {
    try {
      return { kind: 'checked', contentType: checkFile({ filename: task.filename, bytes, declaredType: task.declaredType }) };
    } catch (err) {
      if (err instanceof UnsupportedFileError) return { kind: 'unsupported', message: err.message };
      throw err;
    }
  }
  return { kind: 'read', result: await readFile(bytes, task.contentType, task.defaultCurrency, task.pdf) };
}

post({ kind: 'started', threadId });
// A test holds the read here (the latch) to prove the service answers while a file is being read.
if (task.gate) Atomics.wait(new Int32Array(task.gate), 0, 0);
run().then(post, (err: unknown) => post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
