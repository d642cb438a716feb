import { Button, InsetText, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Session } from '../api/types';
import { ErrorSummaryBox, ProblemSummary, type ErrorItem } from '../components/ErrorSummaryBox';
import { usePageTitle } from '../components/usePageTitle';
import { navigate, safeReturnPath, useSearchParams } from '../router/router';
import { isSession, signInRequest, useAdoptSession, useSsoConfig, type Enrolment } from './admin/api';
import { RecoveryCodes, TotpSetup } from './admin/TotpSetup';

interface FieldErrors {
  username?: string;
  password?: string;
  code?: string;
}

type Step = { kind: 'password' } | { kind: 'code' } | { kind: 'enrol'; enrolment: Enrolment } | { kind: 'codes'; session: Session; codes: string[] };

/**
 * Sign in: username and password; then, for an account with a second factor, the code from
 * the authenticator app (or a recovery code); or, the first time for a role that needs one,
 * setting the app up. Single sign-on, when the organisation has it, is a button.
 */
export function SignInPage() {
  const params = useSearchParams();
  const adopt = useAdoptSession();
  const sso = useSsoConfig();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const hasErrors = Boolean(fieldErrors.username || fieldErrors.password || fieldErrors.code || error);
  const title = step.kind === 'code' ? 'Enter your security code' : step.kind === 'enrol' ? 'Set up a second factor' : step.kind === 'codes' ? 'Save your recovery codes' : 'Sign in';
  usePageTitle(hasErrors ? `Error: ${title}` : title);

  const finish = (session: Session) => {
    adopt(session);
    navigate(safeReturnPath(params.get('next')), { replace: true });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (step.kind === 'password') {
      if (!username.trim()) errors.username = 'Enter your username';
      if (!password) errors.password = 'Enter your password';
    } else if (!code.trim()) {
      errors.code = 'Enter the 6-digit code from your authenticator app, or a recovery code';
    }
    setFieldErrors(errors);
    setError(null);
    if (Object.keys(errors).length) return;
    setPending(true);
    signInRequest({ username: username.trim(), password, ...(step.kind === 'code' ? { code: code.trim() } : {}) })
      .then((result) => {
        if (isSession(result)) finish(result);
        else if (result.next === 'totp') {
          setStep({ kind: 'code' });
          setCode('');
        } else setStep({ kind: 'enrol', enrolment: result.enrolment });
      })
      .catch((e: unknown) => {
        setError(e);
        if (step.kind === 'code') {
          setCode('');
          // Locked or otherwise refused: start again from the password.
          if (!(e instanceof ApiError && e.status === 401)) {
            setStep({ kind: 'password' });
            setPassword('');
          }
        } else setPassword('');
      })
      .finally(() => setPending(false));
  };

  if (step.kind === 'enrol') {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <TotpSetup
            enrolment={step.enrolment}
            intro="Your role needs a second factor: besides your password, a code from an authenticator app on your phone each time you sign in. Set it up now."
            onDone={(s) => setStep({ kind: 'codes', session: { user: s.user, csrfToken: s.csrfToken }, codes: s.recoveryCodes })}
          />
        </div>
      </div>
    );
  }
  if (step.kind === 'codes') {
    const session = step.session;
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <RecoveryCodes codes={step.codes} onContinue={() => finish(session)} />
        </div>
      </div>
    );
  }

  const errorItems: ErrorItem[] = [];
  if (fieldErrors.username) errorItems.push({ href: '#username', text: fieldErrors.username });
  if (fieldErrors.password) errorItems.push({ href: '#password', text: fieldErrors.password });
  if (fieldErrors.code) errorItems.push({ href: '#code', text: fieldErrors.code });
  const rejected = error instanceof ApiError && error.status === 401;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {errorItems.length ? <ErrorSummaryBox title="There is a problem" items={errorItems} /> : null}
        {error && !rejected ? <ProblemSummary error={error} /> : null}
        {rejected ? (
          <ErrorSummaryBox
            title="There is a problem"
            items={[
              {
                href: step.kind === 'code' ? '#code' : '#username',
                text: error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : 'Enter a correct username and password',
              },
            ]}
          />
        ) : null}
        {params.get('sso') === 'failed' ? (
          <ErrorSummaryBox
            title="Single sign-on did not work"
            description={<p>Your organisation account could not be used to sign in to Beacon. Ask your Beacon administrator whether your account is set up for it.</p>}
          />
        ) : null}

        {step.kind === 'code' ? (
          <>
            <h1>Enter your security code</h1>
            <p>Open the authenticator app on your phone and enter the 6-digit code it shows for Beacon.</p>
            <form noValidate onSubmit={submit} aria-label="Security code">
              <TextInput
                id="code"
                name="code"
                label="Security code"
                hint="If you have lost your phone, enter one of your recovery codes instead."
                labelProps={{ size: 's' }}
                inputMode="text"
                autoComplete="one-time-code"
                spellCheck={false}
                autoCapitalize="none"
                width={10}
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
                error={fieldErrors.code}
              />
              <Button type="submit" disabled={pending}>
                {pending ? 'Checking…' : 'Continue'}
              </Button>
            </form>
            <p>
              <a
                href="/sign-in"
                onClick={(event) => {
                  event.preventDefault();
                  setStep({ kind: 'password' });
                  setPassword('');
                  setError(null);
                  setFieldErrors({});
                }}
              >
                Sign in as someone else
              </a>
            </p>
          </>
        ) : (
          <>
            <h1>Sign in to Beacon</h1>

            {params.get('signed-out') ? (
              <InsetText>
                <p>You have signed out.</p>
              </InsetText>
            ) : null}
            {params.get('expired') ? (
              <InsetText>
                <p>Your session has ended. Sign in again to carry on.</p>
              </InsetText>
            ) : null}

            <form noValidate onSubmit={submit} aria-label="Sign in">
              <TextInput
                id="username"
                name="username"
                label="Username"
                labelProps={{ size: 's' }}
                autoComplete="username"
                spellCheck={false}
                autoCapitalize="none"
                width={20}
                value={username}
                onChange={(event) => setUsername(event.currentTarget.value)}
                error={fieldErrors.username}
              />
              <TextInput
                id="password"
                name="password"
                type="password"
                label="Password"
                labelProps={{ size: 's' }}
                autoComplete="current-password"
                width={20}
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
                error={fieldErrors.password}
              />
              <Button type="submit" disabled={pending}>
                {pending ? 'Signing in…' : 'Sign in'}
              </Button>
            </form>
            {sso.data?.enabled ? (
              <>
                <p className="nhsuk-body">Or:</p>
                <Button secondary href={`/api/auth/oidc/start?next=${encodeURIComponent(safeReturnPath(params.get('next')))}`}>
                  {sso.data.label ?? 'Sign in with your organisation account'}
                </Button>
              </>
            ) : null}
            <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">If you cannot sign in, ask your Beacon administrator to check your account.</p>
          </>
        )}
      </div>
    </div>
  );
}
