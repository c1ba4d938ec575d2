// Not signed in: sign in with Amazon (then connect the seller account from the overview), or sign
// in as an operator with a token.
import { useState } from 'react';
import { signInWithToken, type Session } from '../lib/session.js';

export function ConnectPage({ onSignedIn, ended = false }: { onSignedIn: (s: Session) => void; ended?: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" className="page narrow">
      <h1 tabIndex={-1}>Recover what Amazon owes you</h1>
      {ended && (
        <p className="notice" role="status" data-testid="session-ended">
          Your session ended; sign in again.
        </p>
      )}
      <p className="lead">
        Clario reads your Seller Central reports, finds lost and damaged inventory, overcharged fees and missing refunds, files the cases and shows every
        step. Sign in with your Amazon account, then connect your seller account: one click on Amazon's page for each.
      </p>
      <p>
        <a className="button primary big" href="/signin/amazon">
          Sign in with Amazon
        </a>
      </p>
      <section className="card" aria-labelledby="operator">
        <h2 id="operator">Operator sign-in</h2>
        <p className="muted">
          Paste the service token (<code>npx clario token --service</code>) or a seller's token (<code>npx clario token --user &lt;id&gt;</code>). It is kept
          in this tab only.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError('');
            void signInWithToken(token).then((r) => {
              setBusy(false);
              if (r.ok) onSignedIn(r.data);
              else setError(r.message);
            });
          }}
        >
          <label htmlFor="token">Token</label>
          <div className="row">
            <input
              id="token"
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-describedby={error ? 'token-error' : undefined}
              aria-invalid={error ? true : undefined}
            />
            <button type="submit" disabled={busy}>
              {busy ? 'Checking…' : 'Sign in'}
            </button>
          </div>
          <p id="token-error" className="error" role="alert">
            {error}
          </p>
        </form>
      </section>
    </main>
  );
}
