import { BackLink, Button, Checkboxes, Fieldset, Radios, Select, SummaryList, Tag, TextInput, WarningCallout } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { can, dateTime, ROLE_FIELD_LABELS, useCreateUser, useResetPassword, useResetTotp, useUpdateUser, useUsers, type NewUser, type UserSummary, type UsersResponse } from './api';

const SCOPE_LABELS: Record<UserSummary['scope_type'], string> = {
  organisation: 'Organisation',
  service: 'Service',
  local_authority: 'Local authority',
  partner: 'Partner organisation',
};

export function scopeText(u: Pick<UserSummary, 'scope_type' | 'scope_id'>): string {
  if (u.scope_type === 'organisation') return u.scope_id ? `Organisation ${u.scope_id}` : 'Whole organisation';
  return `${SCOPE_LABELS[u.scope_type]} ${u.scope_id ?? ''}`.trim();
}

function StatusTags({ u }: { u: UserSummary }) {
  return (
    <>
      {!u.active ? <Tag color="grey">Disabled</Tag> : u.locked ? <Tag color="red">Locked</Tag> : <Tag color="green">Active</Tag>}{' '}
      {u.totp_enabled ? <Tag color="blue">Second factor</Tag> : u.totp_required ? <Tag color="orange">Second factor not set up</Tag> : null}{' '}
      {u.sso ? <Tag color="purple">Single sign-on</Tag> : null}
    </>
  );
}

function maskedText(fields: string[]): string {
  if (fields.length === 0) return 'Sees every identifying field (in scope)';
  return `Sees masked: ${fields.map((f) => ROLE_FIELD_LABELS[f] ?? f).join(', ')}`;
}

/** All user accounts: who has which role and scope, and their sign-in state. */
export function UsersPage({ user }: { user: User }) {
  usePageTitle('Users');
  const users = useUsers();
  const list = users.data?.users ?? [];
  return (
    <>
      <BackLink asElement={Link} to="/admin">
        Administration
      </BackLink>
      <h1>Users</h1>
      <p className="nhsuk-lede-text">Who can sign in to Beacon, with which role and scope.</p>
      {can(user, 'admin.users.write') ? (
        <Button asElement={Link} to="/admin/users/new">
          Create a user
        </Button>
      ) : null}
      {users.isPending ? <Loading>Loading users…</Loading> : null}
      {users.error ? <SectionProblem error={users.error} what="user accounts" /> : null}
      {users.data ? (
        <div className="beacon-table-scroll" tabIndex={0} role="region" aria-label="User accounts">
          <table className="nhsuk-table" data-testid="users-table">
            <caption className="nhsuk-table__caption">{list.length} user accounts</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Username</th>
                <th scope="col" className="nhsuk-table__header">Name</th>
                <th scope="col" className="nhsuk-table__header">Role</th>
                <th scope="col" className="nhsuk-table__header">Scope</th>
                <th scope="col" className="nhsuk-table__header">Status</th>
                <th scope="col" className="nhsuk-table__header">Last sign-in</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {list.map((u) => (
                <tr className="nhsuk-table__row" key={u.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/admin/users/${u.id}`}>{u.username}</Link>
                  </td>
                  <td className="nhsuk-table__cell">{u.display_name}</td>
                  <td className="nhsuk-table__cell">{u.role_label}</td>
                  <td className="nhsuk-table__cell">{scopeText(u)}</td>
                  <td className="nhsuk-table__cell">
                    <StatusTags u={u} />
                  </td>
                  <td className="nhsuk-table__cell">{u.last_sign_in_at ? dateTime(u.last_sign_in_at) : 'Never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

interface ScopeFieldsProps {
  data: UsersResponse;
  scopeType: UserSummary['scope_type'];
  scopeId: string;
  onType: (t: UserSummary['scope_type']) => void;
  onId: (id: string) => void;
  error?: string | undefined;
}

function ScopeFields({ data, scopeType, scopeId, onType, onId, error }: ScopeFieldsProps) {
  const areas = [...new Set(data.services.map((s) => s.local_authority).filter((a): a is string => Boolean(a)))].sort();
  return (
    <>
      <Radios
        name="scopeType"
        id="scopeType"
        legend="Scope"
        legendProps={{ size: 's' }}
        hint="Which people's records the role applies to."
      >
        {(Object.keys(SCOPE_LABELS) as UserSummary['scope_type'][]).map((t) => (
          <Radios.Item key={t} value={t} checked={scopeType === t} onChange={() => onType(t)}>
            {SCOPE_LABELS[t]}
          </Radios.Item>
        ))}
      </Radios>
      {scopeType === 'service' ? (
        <Select id="scopeId" label="Service" labelProps={{ size: 's' }} value={scopeId} onChange={(event) => onId(event.currentTarget.value)} error={error}>
          <option value="">Choose a service</option>
          {data.services.map((s) => (
            <option key={s.service_id} value={s.service_id}>
              {s.name} ({s.service_id})
            </option>
          ))}
        </Select>
      ) : scopeType === 'local_authority' ? (
        <Select id="scopeId" label="Local authority" labelProps={{ size: 's' }} value={scopeId} onChange={(event) => onId(event.currentTarget.value)} error={error}>
          <option value="">Choose a local authority</option>
          {areas.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      ) : (
        <TextInput
          id="scopeId"
          label={scopeType === 'partner' ? 'Partner organisation' : 'Organisation (leave empty for the whole organisation)'}
          labelProps={{ size: 's' }}
          width={20}
          value={scopeId}
          onChange={(event) => onId(event.currentTarget.value)}
          error={error}
        />
      )}
    </>
  );
}

const FIELD_IDS = { username: 'username', displayName: 'displayName', role: 'role', scopeId: 'scopeId', scopeType: 'scopeType' };

/** Create a user: a local account gets a one-time password, shown once. */
export function NewUserPage() {
  usePageTitle('Create a user');
  const users = useUsers();
  const create = useCreateUser();
  const [form, setForm] = useState<NewUser>({ username: '', displayName: '', role: '', scopeType: 'service', scopeId: '', sso: false, totpRequired: false });
  const [errors, setErrors] = useState<Partial<Record<keyof NewUser, string>>>({});
  const set = <K extends keyof NewUser>(k: K, v: NewUser[K]) => setForm((f) => ({ ...f, [k]: v }));

  if (create.data) {
    const { user, password } = create.data;
    return (
      <>
        <div className="nhsuk-panel nhsuk-panel--confirmation" data-testid="user-created">
          <h1 className="nhsuk-panel__title">User {user.username} created</h1>
          <div className="nhsuk-panel__body">
            {user.role_label}, {scopeText(user)}
          </div>
        </div>
        {password ? (
          <>
            <p>Give them this one-time password in person or by phone (not in the same email as the username). They can change it under Your account.</p>
            <p>
              <code data-testid="one-time-password">{password}</code>
            </p>
            <p>Beacon shows it only now.</p>
          </>
        ) : (
          <p>They sign in with your organisation's single sign-on.</p>
        )}
        <p>
          <Link to="/admin/users">Back to users</Link>
        </p>
      </>
    );
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: Partial<Record<keyof NewUser, string>> = {};
    if (!/^[A-Za-z0-9._@-]{2,100}$/.test(form.username.trim())) e.username = 'Enter a username of 2 to 100 letters, digits or . _ @ -';
    if (!form.displayName.trim()) e.displayName = 'Enter the person’s name';
    if (!form.role) e.role = 'Choose a role';
    if ((form.scopeType === 'service' || form.scopeType === 'local_authority' || form.scopeType === 'partner') && !form.scopeId) e.scopeId = 'Choose the scope';
    setErrors(e);
    if (Object.keys(e).length) return;
    create.mutate({ ...form, username: form.username.trim(), displayName: form.displayName.trim(), scopeId: form.scopeId ? form.scopeId.trim() : null });
  };
  const items: ErrorItem[] = (Object.keys(errors) as (keyof NewUser)[]).map((k) => ({ href: `#${k}`, text: errors[k] ?? '' }));

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink asElement={Link} to="/admin/users">
          Users
        </BackLink>
        {items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
        {create.error ? <ProblemSummary error={create.error} fieldIds={FIELD_IDS} /> : null}
        <h1>Create a user</h1>
        {users.error ? <SectionProblem error={users.error} what="user accounts" /> : null}
        {users.data ? (
          <form noValidate onSubmit={submit} aria-label="Create a user">
            <TextInput id="username" label="Username" labelProps={{ size: 's' }} autoComplete="off" spellCheck={false} width={20} value={form.username} onChange={(ev) => set('username', ev.currentTarget.value)} error={errors.username} />
            <TextInput id="displayName" label="Name" labelProps={{ size: 's' }} autoComplete="off" width={30} value={form.displayName} onChange={(ev) => set('displayName', ev.currentTarget.value)} error={errors.displayName} />
            <Select id="role" label="Role" labelProps={{ size: 's' }} value={form.role} onChange={(ev) => set('role', ev.currentTarget.value)} error={errors.role}>
              <option value="">Choose a role</option>
              {users.data.roles.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                  {r.totp_required ? ' (needs a second factor)' : ''}
                </option>
              ))}
            </Select>
            <ScopeFields data={users.data} scopeType={form.scopeType} scopeId={form.scopeId ?? ''} onType={(t) => setForm((f) => ({ ...f, scopeType: t, scopeId: '' }))} onId={(id) => set('scopeId', id)} error={errors.scopeId} />
            <Fieldset>
              <Fieldset.Legend size="s">Signing in</Fieldset.Legend>
              <Checkboxes id="signing-in" name="signing-in">
                <Checkboxes.Item value="sso" checked={form.sso} onChange={(ev) => set('sso', ev.currentTarget.checked)}>
                  Single sign-on only (no Beacon password)
                </Checkboxes.Item>
                <Checkboxes.Item value="totp" checked={form.totpRequired} onChange={(ev) => set('totpRequired', ev.currentTarget.checked)}>
                  Require a second factor (always required for administrators and Caldicott guardians)
                </Checkboxes.Item>
              </Checkboxes>
            </Fieldset>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create user'}
            </Button>
          </form>
        ) : null}
      </div>
    </div>
  );
}

/** One user: change role, scope, name and second-factor rule; disable; reset password or second factor. */
export function UserPage({ user: me, id }: { user: User; id: number }) {
  const users = useUsers();
  const u = users.data?.users.find((x) => x.id === id) ?? null;
  usePageTitle(u ? `User ${u.username}` : 'User');
  const update = useUpdateUser(id);
  const reset = useResetPassword(id);
  const resetTotp = useResetTotp(id);
  const writable = can(me, 'admin.users.write');
  const [edit, setEdit] = useState<{ role: string; scopeType: UserSummary['scope_type']; scopeId: string; displayName: string; totpRequired: boolean } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (users.isPending) return <Loading>Loading the user…</Loading>;
  if (users.error) return <SectionProblem error={users.error} what="user accounts" />;
  if (!u || !users.data) {
    return (
      <>
        <h1>No such user</h1>
        <p>
          <Link to="/admin/users">Back to users</Link>
        </p>
      </>
    );
  }
  const form = edit ?? { role: u.role, scopeType: u.scope_type, scopeId: u.scope_id ?? '', displayName: u.display_name, totpRequired: u.totp_required && !users.data.roles.find((r) => r.role === u.role)?.totp_required };
  const failure = update.error ?? reset.error ?? resetTotp.error;

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(null);
    update.mutate(
      { displayName: form.displayName.trim(), role: form.role, scopeType: form.scopeType, scopeId: form.scopeId.trim() ? form.scopeId.trim() : null, totpRequired: form.totpRequired },
      {
        onSuccess: () => {
          setEdit(null);
          setSaved('Changes saved. They apply from the user’s next sign-in.');
        },
      },
    );
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink asElement={Link} to="/admin/users">
          Users
        </BackLink>
        {failure ? <ProblemSummary error={failure} fieldIds={FIELD_IDS} /> : null}
        {saved ? (
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{saved}</p>
          </div>
        ) : null}
        <h1>
          <span className="nhsuk-caption-l">User</span>
          {u.username}
        </h1>
        <SummaryList>
          <SummaryList.Row>
            <SummaryList.Key>Name</SummaryList.Key>
            <SummaryList.Value>{u.display_name}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Role</SummaryList.Key>
            <SummaryList.Value>{u.role_label}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Scope</SummaryList.Key>
            <SummaryList.Value>{scopeText(u)}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Identifying fields</SummaryList.Key>
            <SummaryList.Value>{maskedText(u.masked_fields)}</SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Status</SummaryList.Key>
            <SummaryList.Value>
              <StatusTags u={u} />
            </SummaryList.Value>
          </SummaryList.Row>
          <SummaryList.Row>
            <SummaryList.Key>Last sign-in</SummaryList.Key>
            <SummaryList.Value>{u.last_sign_in_at ? dateTime(u.last_sign_in_at) : 'Never'}</SummaryList.Value>
          </SummaryList.Row>
        </SummaryList>

        {writable ? (
          <>
            <h2>Change role or scope</h2>
            <form noValidate onSubmit={save} aria-label="Change role or scope">
              <TextInput id="displayName" label="Name" labelProps={{ size: 's' }} width={30} value={form.displayName} onChange={(ev) => setEdit({ ...form, displayName: ev.currentTarget.value })} />
              <Select id="role" label="Role" labelProps={{ size: 's' }} value={form.role} onChange={(ev) => setEdit({ ...form, role: ev.currentTarget.value })}>
                {users.data.roles.map((r) => (
                  <option key={r.role} value={r.role}>
                    {r.label}
                  </option>
                ))}
              </Select>
              <ScopeFields data={users.data} scopeType={form.scopeType} scopeId={form.scopeId} onType={(t) => setEdit({ ...form, scopeType: t, scopeId: '' })} onId={(v) => setEdit({ ...form, scopeId: v })} />
              <Checkboxes id="totpRequired" name="totpRequired">
                <Checkboxes.Item value="yes" checked={form.totpRequired} onChange={(ev) => setEdit({ ...form, totpRequired: ev.currentTarget.checked })}>
                  Require a second factor
                </Checkboxes.Item>
              </Checkboxes>
              <Button type="submit" disabled={update.isPending}>
                Save changes
              </Button>
            </form>

            <h2>Access</h2>
            {reset.data ? (
              <WarningCallout>
                <WarningCallout.Heading>New one-time password</WarningCallout.Heading>
                <p>
                  <code data-testid="reset-password">{reset.data.password}</code>
                </p>
                <p>Give it to {u.display_name} in person or by phone. Beacon shows it only now; their sessions have ended.</p>
              </WarningCallout>
            ) : null}
            <div className="beacon-actions">
              {me.id !== u.id ? (
                <Button secondary type="button" disabled={update.isPending} onClick={() => update.mutate({ active: !u.active }, { onSuccess: () => setSaved(u.active ? 'The account is disabled and its sessions have ended.' : 'The account is enabled.') })}>
                  {u.active ? 'Disable account' : 'Enable account'}
                </Button>
              ) : null}
              {!u.sso ? (
                <Button secondary type="button" disabled={reset.isPending} onClick={() => reset.mutate()}>
                  Reset password
                </Button>
              ) : null}
              {u.totp_enabled ? (
                <Button secondary type="button" disabled={resetTotp.isPending} onClick={() => resetTotp.mutate(undefined, { onSuccess: () => setSaved('The second factor is removed. They set it up again at their next sign-in.') })}>
                  Reset second factor
                </Button>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
