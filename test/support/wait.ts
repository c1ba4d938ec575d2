/**
 * Polls until `check` holds. Not a timing assertion: the deadline only turns a hang into a clear
 * failure, and it is generous (under the 120 s test timeout, so the failure names what it waited for).
 */
export async function waitFor(check: () => Promise<boolean> | boolean, what = 'condition', timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
