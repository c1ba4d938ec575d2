// Reminder e-mail over SMTP (nodemailer), plain text. The SMTP settings carry a password: they are
// handed to nodemailer and never logged; an error is logged by its code and response only.
import { createTransport } from 'nodemailer';
import type { SmtpSettings } from '../config/config.js';

export interface Mail {
  readonly to: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The same for every attempt at one reminder, so a mail client can tell a repeat. */
  readonly messageId: string;
}

export interface Sent {
  /** Recipients the server refused while it took the message for the others. */
  readonly refused: readonly string[];
}

export interface Mailer {
  /** Resolves once the server took the message for at least one recipient; else a MailError. */
  send(mail: Mail): Promise<Sent>;
  close(): void;
}

/** What went wrong, without anything secret: SMTP's reply code and text, or the socket's error code. */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(
    message: string,
    /** SMTP's reply code (550: refused for good, 4xx: try later); undefined when no server answered. */
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }

  /** The server was not reached or hung up: every other message would fail the same way now. */
  get unreachable(): boolean {
    return this.responseCode === undefined;
  }
}

export function smtpMailer(o: { smtp: SmtpSettings; from: string; timeoutMs: number }): Mailer {
  const transport = createTransport(
    {
      host: o.smtp.host,
      port: o.smtp.port,
      secure: o.smtp.secure,
      ...(o.smtp.auth ? { auth: { user: o.smtp.auth.user, pass: o.smtp.auth.pass } } : {}),
      connectionTimeout: o.timeoutMs,
      greetingTimeout: o.timeoutMs,
      socketTimeout: o.timeoutMs,
      logger: false,
    },
    { from: o.from },
  );
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({ to: [...mail.to], bcc: [...mail.bcc], subject: mail.subject, text: mail.text, messageId: mail.messageId });
        return { refused: [...info.rejected] };
      } catch (err) {
        throw toMailError(err);
      }
    },
    close: () => transport.close(),
  };
}

function toMailError(err: unknown): MailError {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : 'error';
  // SMTP's own reply is safe to keep; a socket error's message is, too, but say no more than its code.
  const said = typeof e.response === 'string' ? e.response.slice(0, 300) : undefined;
  return new MailError(said ? `${code}: ${said}` : code, responseCode);
}
