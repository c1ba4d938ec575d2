import { pino, type Logger } from 'pino';

/** Paths that may carry secrets; pino replaces them before anything is written. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-clario-signature"]',
  'headers.authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.refresh_token',
  '*.access_token',
  '*.client_secret',
  '*.serviceToken',
  '*.sessionSecret',
  '*.password',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      // Fastify's request logs, minus anything secret: no headers, and no ?token= in the URL.
      req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url ? safeUrl(req.url) : undefined,
        ip: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  }, destination ?? process.stdout);
}

/** A request URL for logs, without the `token` query parameter browsers must use for WebSockets. */
export function safeUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]');
}
