import { Button, InsetText, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSignIn } from '../auth/session';
import { ErrorSummaryBox, ProblemSummary, type ErrorItem } from '../components/ErrorSummaryBox';
import { usePageTitle } from '../components/usePageTitle';
import { navigate, safeReturnPath, useSearchParams } from '../router/router';

interface FieldErrors {
  username?: string;
  password?: string;
}

export function SignInPage() {
  const params = useSearchParams();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const hasErrors = Boolean(fieldErrors.username || fieldErrors.password || signIn.error);
  usePageTitle(hasErrors ? 'Error: Sign in' : 'Sign in');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!username.trim()) errors.username = 'Enter your username';
    if (!password) errors.password = 'Enter your password';
    setFieldErrors(errors);
    signIn.reset();
    if (errors.username || errors.password) return;
    signIn.mutate(
      { username: username.trim(), password },
      {
        onSuccess: () => navigate(safeReturnPath(params.get('next')), { replace: true }),
        onError: () => setPassword(''),
      },
    );
  };

  const errorItems: ErrorItem[] = [];
  if (fieldErrors.username) errorItems.push({ href: '#username', text: fieldErrors.username });
  if (fieldErrors.password) errorItems.push({ href: '#password', text: fieldErrors.password });
  const credentialsRejected = signIn.error instanceof ApiError && signIn.error.status === 401;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {errorItems.length ? <ErrorSummaryBox title="There is a problem" items={errorItems} /> : null}
        {signIn.error && !credentialsRejected ? <ProblemSummary error={signIn.error} /> : null}
        {credentialsRejected ? (
          <ErrorSummaryBox
            title="There is a problem"
            items={[
              {
                href: '#username',
                text:
                  signIn.error instanceof ApiError
                    ? (signIn.error.problem.detail ?? signIn.error.problem.title)
                    : 'Enter a correct username and password',
              },
            ]}
          />
        ) : null}

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
          <Button type="submit" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
          If you cannot sign in, ask your Beacon administrator to check your account.
        </p>
      </div>
    </div>
  );
}
