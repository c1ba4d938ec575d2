// The shell: who is signed in, the navigation, and which page shows.
import { useEffect, useRef, useState } from 'react';
import { whenSessionEnds } from './lib/api.js';
import { endedSession, loadSession, signOut, type Session } from './lib/session.js';
import { navigate, onLinkClick, usePath } from './lib/router.js';
import { returnPath } from './lib/return-path.js';
import { ConnectPage } from './pages/Connect.js';
import { OverviewPage } from './pages/Overview.js';
import { LivePage } from './pages/Live.js';
import { ClaimsPage } from './pages/Claims.js';
import { ClaimPage } from './pages/Claim.js';
import { PromptsPage } from './pages/Prompts.js';
import { OpsPage } from './pages/Ops.js';
import { RecordsPage } from './pages/Records.js';
import { FileTodayPage } from './pages/FileToday.js';
import { CasePage } from './pages/Case.js';

const SELLER_PAGES = [
  ['/overview', 'Overview'],
  ['/live', 'Live workflow'],
  ['/claims', 'Claims'],
  ['/file-today', 'File today'],
  ['/prompts', 'Smart prompts'],
  ['/records', 'Costs & receipts'],
] as const;
const OPERATOR_PAGES = [
  ['/ops', 'Operator view'],
  ['/file-today', 'File today'],
] as const;

/** The navigation entry a path belongs to (a case belongs to File today, a claim to Claims). */
const section = (path: string) => (path.startsWith('/file-today/') ? '/file-today' : path.startsWith('/claims/') ? '/claims' : path);

/** The pages this router knows; any other path is "page not found". */
const KNOWN = /^\/(|signin|overview|live|claims|claims\/[^/]+|file-today|file-today\/[^/]+|prompts|records|ops)$/;

// The page to come back to after signing in again, for this tab only (it survives the trip to
// Amazon's sign-in page and back, which a query parameter would not).
const RETURN_KEY = 'clario.return';
function rememberReturn(): void {
  const back = returnPath(window.location.pathname + window.location.search, window.location.origin);
  try {
    if (back && KNOWN.test(window.location.pathname)) window.sessionStorage.setItem(RETURN_KEY, back);
  } catch {
    // storage unavailable: the seller lands on their first page
  }
}
function takeReturn(): string | null {
  try {
    const raw = window.sessionStorage.getItem(RETURN_KEY);
    window.sessionStorage.removeItem(RETURN_KEY);
    return returnPath(raw, window.location.origin);
  } catch {
    return null;
  }
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  /** Said on the sign-in view when the server ended the session (expired, signed out elsewhere). */
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    // A 401 no renewal cures, or the live socket closed 4401: the signed-in state ends here, and
    // the sign-in view says why; signing in again leads back to this page.
    whenSessionEnds(() => {
      endedSession();
      rememberReturn();
      setEnded(true);
      setSession(null);
    });
    void loadSession().then(setSession);
  }, []);

  // Land signed-in users on their first page (or the one their ended session was on), and
  // signed-out ones on Connect.
  useEffect(() => {
    if (session === undefined) return;
    if (!session && path !== '/' && path !== '/signin' && KNOWN.test(path)) {
      rememberReturn();
      navigate('/', true);
    }
    if (session && (path === '/' || path === '/signin')) {
      setEnded(false);
      navigate(takeReturn() ?? (session.role === 'service' ? '/ops' : '/overview'), true);
    }
  }, [session, path]);

  // After a navigation in the page (not on the first load), move focus to the new page's heading
  // so keyboard and screen-reader users know it changed.
  const firstPath = useRef<string | null>(null);
  useEffect(() => {
    if (session === undefined) return;
    if (firstPath.current === null) {
      firstPath.current = path;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path, session]);

  if (session === undefined) {
    return (
      <main id="main" className="page" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }

  const pages = session?.role === 'seller' ? SELLER_PAGES : session?.role === 'service' ? OPERATOR_PAGES : [];
  const claim = /^\/claims\/([^/]+)$/.exec(path);
  const filing = /^\/file-today\/([^/]+)$/.exec(path);
  const operator = session?.role === 'service';
  let page: React.ReactNode;
  if (!KNOWN.test(path)) page = <NotFound path={path} home={!session ? '/' : operator ? '/ops' : '/overview'} />;
  else if (!session) page = <ConnectPage onSignedIn={setSession} ended={ended} />;
  // Cases to file and their claims are for sellers and operators alike; the rest is one or the other.
  else if (path === '/file-today') page = <FileTodayPage userId={session.userId} operator={operator} />;
  else if (filing?.[1]) page = <CasePage id={decodeURIComponent(filing[1])} />;
  else if (claim?.[1]) page = <ClaimPage id={decodeURIComponent(claim[1])} />;
  else if (operator || path === '/ops') page = operator ? <OpsPage /> : <Forbidden />;
  else if (path === '/live') page = <LivePage userId={session.userId ?? ''} />;
  else if (path === '/claims') page = <ClaimsPage />;
  else if (path === '/prompts') page = <PromptsPage userId={session.userId ?? ''} />;
  else if (path === '/records') page = <RecordsPage userId={session.userId ?? ''} />;
  else page = <OverviewPage userId={session.userId ?? ''} />;

  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <a className="brand" href="/" onClick={onLinkClick}>
          <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24"><rect width="32" height="32" rx="7" className="brand-mark" /><path d="M21 11.5a7 7 0 1 0 0 9" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" /></svg>
          Clario
        </a>
        {pages.length > 0 && (
          <nav aria-label="Main">
            <ul>
              {pages.map(([href, name]) => (
                <li key={href}>
                  <a href={href} onClick={onLinkClick} aria-current={section(path) === href ? 'page' : undefined}>
                    {name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div className="who">
            <span className="muted">{session.role === 'service' ? 'Operator' : session.userId}</span>
            <button
              type="button"
              className="link"
              onClick={() => {
                void signOut(session.via).then(() => {
                  setSession(null);
                  navigate('/');
                });
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      {page}
    </>
  );
}

/** A mistyped or stale address: say so, and offer the way home. */
function NotFound({ path, home }: { path: string; home: string }) {
  return (
    <main id="main" className="page narrow" data-testid="not-found">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. The address may be mistyped, or the page has moved.
      </p>
      <p>
        <a className="button primary" href={home} onClick={onLinkClick}>
          {home === '/ops' ? 'Go to the operator view' : home === '/' ? 'Go to the sign-in page' : 'Go to the overview'}
        </a>
      </p>
    </main>
  );
}

function Forbidden() {
  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Operators only</h1>
      <p>This page needs the service token.</p>
    </main>
  );
}
