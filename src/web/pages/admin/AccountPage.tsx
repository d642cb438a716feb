import { Button, SummaryList, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '../../api/client';
import type { Session, User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { useAccount, useAdoptSession, useInvalidate, type Enrolment } from './api';
import { RecoveryCodes, TotpSetup } from './TotpSetup';

/** Your own account: second factor (set up, replace, turn off when allowed) and password. */
export function AccountPage({ user }: { user: User }) {
  usePageTitle('Your account');
  const account = useAccount();
  const adopt = useAdoptSession();
  const invalidate = useInvalidate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<{ session: Session; codes: string[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pw, setPw] = useState({ current: '', password: '', confirm: '' });
  const [pwErrors, setPwErrors] = useState<Partial<Record<'current' | 'password' | 'confirm', string>>>({});
  const [disablePw, setDisablePw] = useState('');

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes.codes}
        onContinue={() => {
          adopt(codes.session);
          setCodes(null);
          setMessage('Your second factor is set up.');
          void invalidate(['auth', 'account']);
        }}
      />
    );
  }
  if (enrolment) {
    return <TotpSetup enrolment={enrolment} intro="Set up an authenticator app: from now on Beacon asks for its code after your password." onDone={(s) => { setEnrolment(null); setCodes({ session: { user: s.user, csrfToken: s.csrfToken }, codes: s.recoveryCodes }); }} />;
  }

  const startSetup = () => {
    setProblem(null);
    apiRequest<Enrolment>('/api/auth/totp/setup', { method: 'POST', json: {} }).then(setEnrolment).catch(setProblem);
  };
  const turnOff = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    apiRequest<null>('/api/auth/totp/disable', { method: 'POST', json: { password: disablePw } })
      .then(() => {
        setDisablePw('');
        setMessage('Your second factor is turned off.');
        void invalidate(['auth', 'account']);
      })
      .catch(setProblem);
  };
  const changePassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: Partial<Record<'current' | 'password' | 'confirm', string>> = {};
    if (!pw.current) e.current = 'Enter your current password';
    if (pw.password.length < 12) e.password = 'Enter a new password of at least 12 characters';
    else if (pw.password !== pw.confirm) e.confirm = 'The two new passwords are not the same';
    setPwErrors(e);
    setProblem(null);
    if (Object.keys(e).length) return;
    apiRequest<Session>('/api/auth/password', { method: 'POST', json: { current: pw.current, password: pw.password } })
      .then((s) => {
        adopt(s);
        setPw({ current: '', password: '', confirm: '' });
        setMessage('Your password is changed. Your other sessions have ended.');
      })
      .catch(setProblem);
  };
  const items: ErrorItem[] = (Object.keys(pwErrors) as ('current' | 'password' | 'confirm')[]).map((k) => ({ href: `#pw-${k}`, text: pwErrors[k] ?? '' }));
  const a = account.data;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
        {problem ? <ProblemSummary error={problem} fieldIds={{ current: 'pw-current', password: 'pw-password' }} /> : null}
        {message ? (
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{message}</p>
          </div>
        ) : null}
        <h1>Your account</h1>
        <SummaryList>
          <SummaryList.Row>
            <SummaryList.Key>Username</SummaryList.Key>
            <SummaryList.Value>{user.username}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Role</SummaryList.Key>
            <SummaryList.Value>{user.roleLabel}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Scope</SummaryList.Key>
            <SummaryList.Value>{user.scope.label}</SummaryList.Value>
          </SummaryList.Row>
        </SummaryList>
        {account.isPending ? <Loading>Loading…</Loading> : null}
        {account.error ? <SectionProblem error={account.error} what="your account settings" /> : null}
        {a ? (
          <>
            <h2>Second factor</h2>
            <p data-testid="totp-status">
              {a.totpEnabled
                ? `On: Beacon asks for a code from your authenticator app. ${a.recoveryCodesLeft} recovery codes left.`
                : 'Off: you sign in with your password only.'}
              {a.totpRequired ? ' Your role needs it.' : ''}
            </p>
            <Button secondary type="button" onClick={startSetup}>
              {a.totpEnabled ? 'Set up a new authenticator app' : 'Turn on a second factor'}
            </Button>
            {a.totpEnabled && !a.totpRequired ? (
              <form noValidate onSubmit={turnOff} aria-label="Turn the second factor off">
                <TextInput id="disable-password" type="password" label="Your password, to turn the second factor off" labelProps={{ size: 's' }} autoComplete="current-password" width={20} value={disablePw} onChange={(ev) => setDisablePw(ev.currentTarget.value)} />
                <Button secondary type="submit">
                  Turn the second factor off
                </Button>
              </form>
            ) : null}
            {a.hasPassword ? (
              <>
                <h2>Change your password</h2>
                <form noValidate onSubmit={changePassword} aria-label="Change your password">
                  <TextInput id="pw-current" type="password" label="Current password" labelProps={{ size: 's' }} autoComplete="current-password" width={20} value={pw.current} onChange={(ev) => setPw({ ...pw, current: ev.currentTarget.value })} error={pwErrors.current} />
                  <TextInput id="pw-password" type="password" label="New password" hint="At least 12 characters. A few unrelated words make a strong password." labelProps={{ size: 's' }} autoComplete="new-password" width={20} value={pw.password} onChange={(ev) => setPw({ ...pw, password: ev.currentTarget.value })} error={pwErrors.password} />
                  <TextInput id="pw-confirm" type="password" label="New password again" labelProps={{ size: 's' }} autoComplete="new-password" width={20} value={pw.confirm} onChange={(ev) => setPw({ ...pw, confirm: ev.currentTarget.value })} error={pwErrors.confirm} />
                  <Button type="submit">Change password</Button>
                </form>
              </>
            ) : (
              <p>You sign in through your organisation’s single sign-on.</p>
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}
