import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

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

/**
 * Where logs go by default: JSON lines for machines (a pipe, a file, a log shipper), and readable
 * lines when a person watches a terminal. Redaction happens before either.
 */
export function defaultDestination(stdout: Pick<NodeJS.WriteStream, 'isTTY'> & NodeJS.WritableStream = process.stdout, prettyTo: number | NodeJS.WritableStream = 1): NodeJS.WritableStream {
  if (!stdout.isTTY) return stdout;
  // Synchronous on the terminal's descriptor, so log lines and the start-up banner keep their order.
  return PinoPretty({ destination: prettyTo, sync: true, colorize: typeof prettyTo === 'number', translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
}

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
  }, destination ?? defaultDestination());
}

/** Query parameters that carry secrets: WebSocket tokens, and the OAuth callback's code and state. */
const SECRET_PARAMS = /([?&](?:token|spapi_oauth_code|code|state|mws_auth_token)=)[^&]*/gi;

/** A request URL for logs, with secret query parameters redacted. */
export function safeUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}
