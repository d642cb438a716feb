import { describe, expect, it } from 'vitest';
import { afterAttempt, resolveRecipients, retryDelaySeconds, type DistributionList } from './delivery';
import { applyAlertAction, availableActions, resolveWorkflowConfig, type AlertAction, type VersionState } from './workflow';

const draft: VersionState = { version: 1, status: 'draft', authors: ['ldis'], approvals: [] };

function run(actions: AlertAction[], requiredApprovals = 1, start: VersionState = draft): { state: VersionState; errors: string[] } {
  let state = start;
  const errors: string[] = [];
  for (const a of actions) {
    const r = applyAlertAction(state, a, resolveWorkflowConfig({ requiredApprovals }));
    if (r.ok) state = r.state;
    else errors.push(r.error);
  }
  return { state, errors };
}

describe('alert workflow (two-person rule)', () => {
  it.each<[string, AlertAction[], number, VersionState['status'], number]>([
    ['draft → submit → approve → issue', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }, { type: 'issue', actor: 'ldis' }], 1, 'issued', 0],
    ['the author cannot approve', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'ldis' }], 1, 'awaiting_approval', 1],
    ['the author cannot approve, whatever the case', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'LDIS ' }], 1, 'awaiting_approval', 1],
    ['nobody can issue before approval', [{ type: 'submit', actor: 'ldis' }, { type: 'issue', actor: 'ldis' }], 1, 'awaiting_approval', 1],
    ['two approvals needed', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }, { type: 'issue', actor: 'ldis' }], 2, 'awaiting_approval', 1],
    ['the same approver twice counts once', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }, { type: 'approve', actor: 'panel' }], 2, 'awaiting_approval', 1],
    ['two approvers', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }, { type: 'approve', actor: 'admin' }, { type: 'issue', actor: 'ldis' }], 2, 'issued', 0],
    ['an editor cannot approve', [{ type: 'edit', actor: 'panel' }, { type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }], 1, 'awaiting_approval', 1],
    ['an edit after approval clears it', [{ type: 'submit', actor: 'ldis' }, { type: 'approve', actor: 'panel' }, { type: 'edit', actor: 'ldis' }, { type: 'issue', actor: 'ldis' }], 1, 'draft', 1],
    ['rule off: submit approves', [{ type: 'submit', actor: 'ldis' }, { type: 'issue', actor: 'ldis' }], 0, 'issued', 0],
    ['reject needs a note', [{ type: 'submit', actor: 'ldis' }, { type: 'reject', actor: 'panel', note: ' ' }], 1, 'awaiting_approval', 1],
    ['reject sends back to draft', [{ type: 'submit', actor: 'ldis' }, { type: 'reject', actor: 'panel', note: 'Too vague' }], 1, 'draft', 0],
  ])('%s', (_name, actions, required, status, errorCount) => {
    const { state, errors } = run(actions, required);
    expect(state.status).toBe(status);
    expect(errors).toHaveLength(errorCount);
  });

  it('an issued version cannot be edited; revising makes a new draft by the reviser', () => {
    const issued: VersionState = { version: 2, status: 'issued', authors: ['ldis'], approvals: ['panel'] };
    expect(applyAlertAction(issued, { type: 'edit', actor: 'ldis' }).ok).toBe(false);
    expect(applyAlertAction(issued, { type: 'revise', actor: 'ldis', note: '' }).ok).toBe(false);
    const r = applyAlertAction(issued, { type: 'revise', actor: 'panel', note: 'Toxicology confirmed' });
    expect(r.ok && r.next).toEqual({ version: 3, status: 'draft', authors: ['panel'], approvals: [] });
  });

  it('lists what a person can do', () => {
    const waiting: VersionState = { ...draft, status: 'awaiting_approval' };
    expect(availableActions(waiting, 'panel')).toEqual(['edit', 'approve', 'reject']);
    expect(availableActions(waiting, 'ldis')).toEqual(['edit', 'reject']);
  });

  it('validates the configuration', () => {
    expect(() => resolveWorkflowConfig({ requiredApprovals: -1 })).toThrow(RangeError);
    expect(() => resolveWorkflowConfig({ requiredApprovals: 1.5 })).toThrow(RangeError);
    expect(resolveWorkflowConfig().requiredApprovals).toBe(1);
  });
});

describe('distribution', () => {
  const lists: DistributionList[] = [
    { id: 2, name: 'PIN', tier: 'partners', members: [{ email: 'A@Example.org', name: 'A' }, { email: 'b@example.org', name: 'B' }, { email: 'not an address', name: 'X' }] },
    { id: 1, name: 'Panel', tier: 'panel', members: [{ email: 'a@example.org', name: 'A' }] },
    { id: 3, name: 'Wider partners', tier: 'partners', members: [{ email: 'b@example.org', name: 'B again' }] },
  ];

  it('sends each tier only to its lists, once per address, and skips bad addresses', () => {
    expect(resolveRecipients(lists).map((r) => `${r.tier}:${r.email}:${r.listId}`)).toEqual([
      'panel:a@example.org:1',
      'partners:a@example.org:2',
      'partners:b@example.org:2',
    ]);
    expect(resolveRecipients(lists, ['public'])).toEqual([]);
  });

  it.each([
    [1, 60],
    [2, 240],
    [3, 960],
    [4, 3840],
    [5, 14400],
    [6, null],
  ])('after %i failed attempt(s) wait %s s', (n, s) => {
    expect(retryDelaySeconds(n)).toBe(s);
  });

  it('records the state after an attempt', () => {
    expect(afterAttempt(true, 1, 0)).toEqual({ status: 'sent', nextAttemptAt: null });
    expect(afterAttempt(false, 1, 1000)).toEqual({ status: 'retrying', nextAttemptAt: 61_000 });
    expect(afterAttempt(false, 6, 1000)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
});
