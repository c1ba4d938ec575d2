// The detail an error answer carries ({"error": {"code", "message", "details"}}), in words. Pure.

/**
 * What the error's `details` say, in words: a refused field's own rule ("case_id: a case id as
 * Seller Central shows it") is what tells the person what to change.
 */
export function detailOf(details: unknown): string {
  if (typeof details === 'string') return details;
  if (!Array.isArray(details)) return '';
  return details
    .map((d: unknown) => {
      if (typeof d === 'string') return d;
      if (!d || typeof d !== 'object') return '';
      const { path, message } = d as { path?: unknown; message?: unknown };
      if (typeof message !== 'string' || !message) return '';
      const field = typeof path === 'string' ? path.replace(/^\//, '').replace(/\//g, '.') : '';
      return field ? `${field}: ${message}` : message;
    })
    .filter(Boolean)
    .join('; ');
}
