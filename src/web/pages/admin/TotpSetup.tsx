import { Button, TextInput, WarningCallout } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { Session } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary } from '../../components/ErrorSummaryBox';
import { enrolRequest, type Enrolment } from './api';
import { QrCode } from './QrCode';

/**
 * Setting up an authenticator app: a QR code of the otpauth link to scan, the secret to
 * type in (or the link to open on the phone), then the first code to prove it works. On success the server starts a new
 * session and gives one-time recovery codes, shown by {@link RecoveryCodes}.
 */
export function TotpSetup({ enrolment, onDone, intro }: { enrolment: Enrolment; onDone: (s: Session & { recoveryCodes: string[] }) => void; intro?: string }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setError('Enter the 6-digit code from your authenticator app');
      return;
    }
    setError(null);
    setPending(true);
    enrolRequest({ token: enrolment.token, code: code.replace(/\s/g, '') })
      .then(onDone)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 400) setError('The code is not right. Enter the code your app shows now');
        else setProblem(e);
        setCode('');
      })
      .finally(() => setPending(false));
  };

  return (
    <>
      {error ? <ErrorSummaryBox title="There is a problem" items={[{ href: '#totp-code', text: error }]} /> : null}
      {problem ? <ProblemSummary error={problem} /> : null}
      <h1>Set up a second factor</h1>
      <p>{intro ?? 'You need a code from an authenticator app on your phone each time you sign in.'}</p>
      <ol className="nhsuk-list nhsuk-list--number">
        <li>Open an authenticator app (for example Microsoft Authenticator, Google Authenticator or FreeOTP).</li>
        <li>
          Add an account and scan this QR code with the app:
          <p className="nhsuk-u-margin-top-2">
            <QrCode value={enrolment.uri} label="QR code of your second-factor key for the authenticator app" />
          </p>
          <p>Or, if you cannot scan it, choose to enter a setup key and type this key (spaces do not matter):</p>
          <p className="nhsuk-u-margin-top-2">
            <code className="beacon-secret" data-testid="totp-secret">
              {enrolment.secret}
            </code>
          </p>
          <p>
            On the phone itself you can <a href={enrolment.uri}>open the key in your authenticator app</a> instead.
          </p>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <form noValidate onSubmit={submit} aria-label="Confirm your authenticator app">
        <TextInput
          id="totp-code"
          name="code"
          label="Code from the app"
          labelProps={{ size: 's' }}
          inputMode="numeric"
          autoComplete="one-time-code"
          width={10}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={error ?? undefined}
        />
        <Button type="submit" disabled={pending}>
          {pending ? 'Checking…' : 'Confirm and continue'}
        </Button>
      </form>
    </>
  );
}

/** The one-time recovery codes, shown once. */
export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  return (
    <>
      <h1>Save your recovery codes</h1>
      <p>Your second factor is set up. If you lose your phone, each of these codes lets you sign in once instead of a code from the app.</p>
      <WarningCallout>
        <WarningCallout.Heading>Important</WarningCallout.Heading>
        <p>Keep them somewhere safe, away from your phone. Beacon shows them only now: it keeps only a scrambled copy.</p>
      </WarningCallout>
      <ul className="nhsuk-list beacon-recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <Button type="button" onClick={onContinue}>
        I have saved them – continue
      </Button>
    </>
  );
}
