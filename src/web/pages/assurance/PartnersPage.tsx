import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { usePartners, useSend } from './api';
import { AssuranceNav, can, ConfirmDelete, fieldError, fieldIds, RowActions, SavedStatus, Scroll, useConfirmDelete } from './shared';
import type { Partner } from './types';

const empty = { organisation: '', agency_type: '', contact_name: '', contact_role: '', email: '', phone: '', pin_member: false };
type Form = typeof empty;

/** The partner directory: the plan's invitees and circulation list are picked from it. */
export function PartnersPage({ user }: { user: User }) {
  usePageTitle('Partner directory');
  const partners = usePartners();
  const edit = can(user, 'assurance.plan.edit');
  const [editing, setEditing] = useState<Partner | null>(null);
  const [f, setF] = useState<Form>(empty);
  const [done, setDone] = useState('');
  const send = useSend<Partner>();
  const del = useSend();
  const removing = useConfirmDelete<Partner>();
  const set = (k: keyof Form) => (v: string) => setF((x) => ({ ...x, [k]: v }));

  const startEdit = (p: Partner) => {
    setEditing(p);
    removing.close();
    del.reset();
    setF({ organisation: p.organisation, agency_type: p.agency_type, contact_name: p.contact_name, contact_role: p.contact_role, email: p.email, phone: p.phone, pin_member: p.pin_member });
    send.reset();
    setDone('');
    requestAnimationFrame(() => document.getElementById('partner-organisation')?.focus());
  };
  const cancel = () => {
    setEditing(null);
    setF(empty);
    send.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const json = { ...f, ...(editing ? { ldis_partner: editing.ldis_partner, active: editing.active } : {}) };
    send.mutate(editing ? { method: 'PUT', path: `/api/assurance/partners/${editing.id}`, json } : { method: 'POST', path: '/api/assurance/partners', json }, {
      onSuccess: (p) => {
        setDone(editing ? `${p.organisation} changed.` : `${p.organisation} added to the directory.`);
        setEditing(null);
        setF(empty);
      },
    });
  };
  const field = (k: keyof Omit<Form, 'pin_member'>, label: string, hint?: string, type = 'text') => {
    const id = `partner-${k.replace('_', '-')}`;
    const error = fieldError(send.error, k);
    return (
      <FormField id={id} label={label} hint={hint} error={error}>
        <input className={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`} id={id} name={id} type={type} value={f[k]} onChange={(e) => set(k)(e.currentTarget.value)} aria-describedby={describedBy(id, Boolean(hint), error)} autoComplete="off" />
      </FormField>
    );
  };

  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Partnership assurance</span>
        Partner directory
      </h1>
      <AssuranceNav user={user} />
      <p>The organisations and people the preparedness plan invites to the incident response group and circulates the plan to.</p>
      {partners.isPending ? <Loading>Loading the directory…</Loading> : null}
      {partners.error ? <SectionProblem error={partners.error} what="the partner directory" /> : null}
      {partners.data?.length === 0 ? <p>Nobody is in the directory yet.</p> : null}
      {partners.data?.length ? (
        <Scroll label="Partner directory">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Partners in the directory</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Contact</th>
                <th scope="col">Email and phone</th>
                {edit ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {partners.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.organisation}
                    {p.agency_type ? <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">{p.agency_type}</span> : null}
                    {p.pin_member ? <strong className="nhsuk-tag nhsuk-tag--blue">PIN member</strong> : null}
                  </td>
                  <td>{[p.contact_name, p.contact_role].filter(Boolean).join(', ') || '–'}</td>
                  <td>{[p.email, p.phone].filter(Boolean).join(', ') || '–'}</td>
                  {edit ? (
                    <td>
                      <RowActions
                        what={p.organisation}
                        deleteWord="Remove"
                        onChange={() => startEdit(p)}
                        deleting={del.isPending}
                        onDelete={(opener) => {
                          del.reset();
                          setDone('');
                          removing.ask(p, opener);
                        }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : null}
      {removing.row ? (
        <ConfirmDelete
          key={removing.row.id}
          headingLevel="h2"
          question={`Are you sure you want to remove ${removing.row.organisation} from the directory?`}
          confirmWord="Remove"
          pending={del.isPending}
          onCancel={() => {
            del.reset();
            removing.cancel();
          }}
          onConfirm={() => {
            const p = removing.row;
            if (!p) return;
            del.mutate(
              { method: 'DELETE', path: `/api/assurance/partners/${p.id}` },
              {
                onSuccess: () => {
                  setDone(`${p.organisation} removed from the directory.`);
                  removing.deleted();
                },
              },
            );
          }}
        >
          <p>It will no longer be offered for the plan’s incident response group or circulation list. A partner the current plan still invites or circulates to cannot be removed.</p>
          {del.error ? <ProblemSummary error={del.error} /> : null}
        </ConfirmDelete>
      ) : null}
      <SavedStatus message={done} focusWhen={removing.deletions} />
      {edit ? (
        <form onSubmit={submit} noValidate aria-labelledby="partner-form">
          <h2 id="partner-form">{editing ? `Change ${editing.organisation}` : 'Add a partner'}</h2>
          {send.error ? (
            <ProblemSummary
              error={send.error}
              fieldIds={fieldIds({ organisation: 'partner-organisation', agency_type: 'partner-agency-type', contact_name: 'partner-contact-name', contact_role: 'partner-contact-role', email: 'partner-email', phone: 'partner-phone' })}
            />
          ) : null}
          {field('organisation', 'Organisation')}
          {field('agency_type', 'Type of agency (optional)', 'For example police, ambulance trust, treatment provider, hostel')}
          {field('contact_name', 'Contact name (optional)')}
          {field('contact_role', 'Role (optional)', 'For example Drug strategy lead')}
          {field('email', 'Email (optional)', undefined, 'email')}
          {field('phone', 'Phone (optional)', undefined, 'tel')}
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
              <div className="nhsuk-checkboxes__item">
                <input className="nhsuk-checkboxes__input" id="partner-pin" type="checkbox" checked={f.pin_member} onChange={(e) => setF((x) => ({ ...x, pin_member: e.currentTarget.checked }))} />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="partner-pin">
                  Member of the Professional Information Network (PIN)
                </label>
              </div>
            </div>
          </div>
          <div className="beacon-assurance-actions">
            <Button type="submit" secondary disabled={send.isPending}>
              {editing ? 'Save the partner' : 'Add the partner'}
            </Button>
            {editing ? (
              <Button type="button" secondary onClick={cancel}>
                Cancel the change
              </Button>
            ) : null}
          </div>
        </form>
      ) : (
        <InsetText>
          <p>Only coordinators and commissioners can change the directory.</p>
        </InsetText>
      )}
    </>
  );
}
