import { TextArea } from '../../components/FormField';
import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { useAlertsMutation, useDeliveries, useLists, type DistributionList, type Tier } from './api';
import { AlertsNav, can, DeliveryTable, PageHeading, TIER_LABELS } from './components';

/** "Name <a@b.org>" or "a@b.org", one per line. */
function parseMembers(text: string): Array<{ email: string; name: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(.*)<([^>]+)>\s*$/.exec(l);
      return m ? { name: (m[1] ?? '').trim(), email: (m[2] ?? '').trim() } : { name: '', email: l };
    });
}

function membersText(list: DistributionList): string {
  return list.members.map((m) => (m.name ? `${m.name} <${m.email}>` : m.email)).join('\n');
}

export function DistributionPage({ user }: { user: User }) {
  usePageTitle('Distribution');
  const manage = can(user, 'alerts.distribution');
  const lists = useLists(manage);
  const deliveries = useDeliveries(can(user, 'alerts.deliveries'));
  return (
    <>
      <PageHeading caption="Alerts">Distribution</PageHeading>
      <p className="nhsuk-lede-text">Who receives each audience’s copy, and who received what. Nobody outside a list receives anything.</p>
      <AlertsNav user={user} />
      {!can(user, 'alerts.deliveries') ? (
        <InsetText>
          <p>Your role does not give you access to distribution.</p>
        </InsetText>
      ) : null}
      {manage ? (
        <>
          <h2>Distribution lists</h2>
          {lists.isPending ? <Loading>Loading the lists…</Loading> : null}
          {lists.error ? <SectionProblem error={lists.error} what="the distribution lists" /> : null}
          {lists.data?.lists.map((l) => <ListEditor key={l.id} list={l} />)}
          {lists.data && lists.data.lists.length === 0 ? <p className="nhsuk-body">There are no lists yet.</p> : null}
          <NewList />
        </>
      ) : null}
      {deliveries.data ? (
        <>
          <h2>Deliveries</h2>
          {!deliveries.data.emailConfigured ? (
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>E-mail is not set up
                </span>
              </h3>
              <p>Beacon has no SMTP server (BEACON_SMTP_HOST), so deliveries wait and are retried. See docs/alerts.md.</p>
            </div>
          ) : null}
          <DeliveryTable deliveries={deliveries.data.deliveries} caption="Recent deliveries of alerts and PIN reports" showItem />
        </>
      ) : null}
      {deliveries.error ? <SectionProblem error={deliveries.error} what="deliveries" /> : null}
    </>
  );
}

function ListEditor({ list }: { list: DistributionList }) {
  const [text, setText] = useState(() => membersText(list));
  const save = useAlertsMutation<{ members: Array<{ email: string; name: string }> }, unknown>('PUT', () => `/api/alerts/lists/${list.id}`);
  const id = `list-${list.id}`;
  return (
    <section className="beacon-alerts-list" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        {list.name} <span className="nhsuk-caption-m">{TIER_LABELS[list.tier]}, {list.members.length} member{list.members.length === 1 ? '' : 's'}</span>
      </h3>
      {list.description ? <p className="nhsuk-body-s">{list.description}</p> : null}
      {save.error ? <ProblemSummary error={save.error} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ members: parseMembers(text) });
        }}
        noValidate
      >
        <TextArea id={`${id}-members`} label={`Members of ${list.name}`} hint="One per line: Name <address@example.org>, or just the address." value={text} onChange={setText} rows={Math.min(8, Math.max(3, list.members.length + 1))} />
        <Button type="submit" secondary disabled={save.isPending}>
          Save the members of {list.name}
        </Button>
        {save.isSuccess ? (
          <p className="nhsuk-body-s" role="status">
            Saved.
          </p>
        ) : null}
      </form>
    </section>
  );
}

function NewList() {
  const [name, setName] = useState('');
  const [tier, setTier] = useState<Tier>('partners');
  const [text, setText] = useState('');
  const create = useAlertsMutation<{ name: string; tier: Tier; members: Array<{ email: string; name: string }> }, { id: number }>('POST', () => '/api/alerts/lists');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, tier, members: parseMembers(text) }, { onSuccess: () => { setName(''); setText(''); } });
  };
  return (
    <section aria-labelledby="new-list-heading">
      <h3 id="new-list-heading">Add a list</h3>
      {create.error ? <ProblemSummary error={create.error} fieldIds={{ name: 'new-list-name' }} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="new-list-name">
            Name
          </label>
          <input className="nhsuk-input" id="new-list-name" type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="new-list-tier">
            Audience (which copy its members receive)
          </label>
          <select className="nhsuk-select" id="new-list-tier" value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
            {(['panel', 'partners', 'public'] as Tier[]).map((t) => (
              <option key={t} value={t}>
                {TIER_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <TextArea id="new-list-members" label="Members" hint="One per line: Name <address@example.org>, or just the address." value={text} onChange={setText} rows={3} />
        <Button type="submit" disabled={create.isPending}>
          Add the list
        </Button>
      </form>
    </section>
  );
}
