// Fan-out of outbox messages to every API process, so that any instance can notify any seller:
// in-process in the embedded mode, Redis pub/sub in production.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export interface BusMessage {
  readonly seq: number;
  readonly userId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

export type BusListener = (messages: readonly BusMessage[]) => void;

export interface MessageBus {
  publish(messages: readonly BusMessage[]): Promise<void>;
  subscribe(listener: BusListener): Promise<() => void>;
  close(): Promise<void>;
}

export function createLocalBus(): MessageBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(messages) {
      if (messages.length > 0) emitter.emit('m', messages);
      return Promise.resolve();
    },
    subscribe(listener) {
      emitter.on('m', listener);
      return Promise.resolve(() => emitter.off('m', listener));
    },
    close() {
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

export function createRedisBus(redisUrl: string, channel: string, onError: (err: unknown) => void): MessageBus {
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  pub.on('error', onError);
  let sub: Redis | undefined;
  const local = createLocalBus();
  return {
    async publish(messages) {
      if (messages.length > 0) await pub.publish(channel, JSON.stringify(messages));
    },
    async subscribe(listener) {
      if (!sub) {
        sub = new Redis(redisUrl);
        sub.on('error', onError);
        sub.on('message', (_channel: string, text: string) => {
          try {
            void local.publish(JSON.parse(text) as BusMessage[]);
          } catch (err) {
            onError(err);
          }
        });
        await sub.subscribe(channel);
      }
      return local.subscribe(listener);
    },
    async close() {
      await local.close();
      sub?.disconnect();
      pub.disconnect();
      return Promise.resolve();
    },
  };
}
