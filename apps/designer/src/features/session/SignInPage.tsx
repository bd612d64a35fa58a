import { type FormEvent, useState } from 'react';
import { describeError, ProblemError } from '../../api/apiClient.ts';
import { fetchMe } from '../../api/useMe.ts';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useSessionStore } from '../../store/sessionStore.ts';

/** Paste an API key; the runtime tells us whose it is. */
export function SignInPage() {
  const signIn = useSessionStore((s) => s.signIn);
  const expiredNotice = useSessionStore((s) => s.expiredNotice);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Paste an API key first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await fetchMe(trimmed);
      signIn(trimmed, me);
    } catch (cause) {
      setError(
        cause instanceof ProblemError && cause.status === 401
          ? 'The runtime does not know this key. Check for a typo or ask an admin for a new one.'
          : describeError(cause),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <div className="signin-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <h1>Orderloom Designer</h1>
            <p>Draw, validate and publish the decisions behind every order.</p>
          </div>
        </div>
        <form onSubmit={submit} noValidate>
          <label htmlFor="api-key">API key</label>
          <div className="input-with-icon">
            <Icon name="key" />
            <input
              id="api-key"
              name="api-key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="Paste your key"
              value={key}
              onChange={(event) => setKey(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby="api-key-help"
              // biome-ignore lint/a11y/noAutofocus: the only field on the page
              autoFocus
            />
          </div>
          <p id="api-key-help" className="help">
            Admins find the first key in <code>&lt;data dir&gt;/admin-key.txt</code> or in{' '}
            <code>ORDERLOOM_ADMIN_KEY</code>. The key stays in this browser tab only.
          </p>
          {error || expiredNotice ? (
            <div className="form-error" role="alert">
              <Icon name="error" /> {error ?? expiredNotice}
            </div>
          ) : null}
          <Button type="submit" variant="primary" busy={busy} className="signin-submit">
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
