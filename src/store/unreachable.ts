// How a start-up check says that a server holding state (PostgreSQL, Redis) did not answer: the
// URL's host, port and path (never its user or password) and why, so an operator can act on one line.

/** `host:port/path` of a server URL; its credentials are left out. */
export function whereIs(url: string): string {
  try {
    const u = new URL(url);
    // An unencoded '/', '?' or '#' in the password ends the host part early: what then reads as
    // host, port, path or query is partly the password, so none of it is shown (the config refuses
    // such a URL; this is the last guard).
    if (`${u.pathname}${u.search}${u.hash}`.includes('@')) return 'an address whose password is not percent-encoded';
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}

/**
 * A socket's errno (ECONNREFUSED, ENOTFOUND) says it; a server's own refusals (a wrong password,
 * a missing database) say it in their message.
 */
export function whyUnreachable(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  return err instanceof Error ? err.message : String(err);
}
