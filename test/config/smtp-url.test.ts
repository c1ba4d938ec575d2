// SMTP_URL and the reminder e-mail settings: read into their parts, and refused with a message
// that says what is expected and never repeats the value (it holds a password).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSmtpUrl } from '../../src/config/config.js';

describe('SMTP_URL', () => {
  it('reads smtp:// and smtps:// URLs, percent-decoding the credentials', () => {
    expect(parseSmtpUrl('smtp://mailer:p%40ss%3Aword@mail.example.com:2525')).toEqual({ host: 'mail.example.com', port: 2525, secure: false, auth: { user: 'mailer', pass: 'p@ss:word' } });
    expect(parseSmtpUrl('smtps://mail.example.com')).toEqual({ host: 'mail.example.com', port: 465, secure: true, auth: undefined });
    expect(parseSmtpUrl('smtp://[::1]/')).toEqual({ host: '::1', port: 587, secure: false, auth: undefined });
  });

  it.each(['http://u:hunter22@mail.example.com', 'smtp://u:hunter22@mail.example.com/inbox', 'smtp://u:hunter22@mail.example.com?tls=no', 'hunter22', 'smtp://u:%E0%A4%A@mail.example.com'])(
    'refuses %s naming the expected form, never the password',
    (value) => {
      let error: unknown;
      try {
        loadConfig({ SMTP_URL: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).toContain('SMTP_URL: must look like smtp://user:password@host:587');
      expect(String(error)).not.toContain('hunter22');
    },
  );

  it('sends from clario@ the SMTP host unless REMINDER_EMAIL_FROM says otherwise, and reads the operator list', () => {
    const c = loadConfig({ SMTP_URL: 'smtp://mail.example.com', REMINDER_EMAIL_TO: 'ops@example.com, agency@example.org' });
    expect(c.reminders.email).toEqual({ smtp: expect.objectContaining({ host: 'mail.example.com' }), from: 'Clario <clario@mail.example.com>', operatorTo: ['ops@example.com', 'agency@example.org'] });
    expect(loadConfig({ REMINDER_EMAIL_FROM: 'Reminders <r@example.com>' }).reminders.email.from).toBe('Reminders <r@example.com>');
    expect(loadConfig({}).reminders).toEqual({ intervalMs: 3_600_000, reopenNudgeDays: 3, email: { smtp: undefined, from: 'Clario <clario@localhost>', operatorTo: [] } });
    expect(() => loadConfig({ REMINDER_EMAIL_TO: 'ops@example.com, not-an-address' })).toThrow(/REMINDER_EMAIL_TO: a comma-separated list of e-mail addresses/);
  });
});
