/**
 * The life of an alert version (issue 7 item 1): drafted → awaiting approval → approved →
 * issued; a later revision is a new version (with a revision note) that goes through the
 * same steps, and issuing it supersedes the version before. Every version is kept.
 *
 * The two-person rule: a version is approved by `requiredApprovals` people (default 1),
 * none of whom wrote or edited it. Setting `requiredApprovals` to 2 asks for two approvers;
 * 0 switches the rule off (an area's choice, recorded in its configuration) — even then an
 * author never approves their own version, so "approve" is simply not needed.
 * An edit after submission sends the version back to draft and clears its approvals: an
 * approval is of the words approved, not of the alert.
 *
 * Pure: the caller persists the state and the events.
 */

export const VERSION_STATUSES = ['draft', 'awaiting_approval', 'approved', 'issued', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const VERSION_STATUS_LABELS: Readonly<Record<VersionStatus, string>> = Object.freeze({
  draft: 'Draft',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  issued: 'Issued',
  superseded: 'Superseded',
});

export interface AlertWorkflowConfig {
  /** Approvals needed from people other than the authors (default 1; 0 switches the rule off). */
  requiredApprovals: number;
}

export const DEFAULT_ALERT_WORKFLOW: Readonly<AlertWorkflowConfig> = Object.freeze({ requiredApprovals: 1 });

export function resolveWorkflowConfig(partial: Partial<AlertWorkflowConfig> = {}): AlertWorkflowConfig {
  const c = { ...DEFAULT_ALERT_WORKFLOW, ...partial };
  if (!Number.isInteger(c.requiredApprovals) || c.requiredApprovals < 0 || c.requiredApprovals > 5) {
    throw new RangeError(`requiredApprovals must be a whole number from 0 to 5, got ${String(c.requiredApprovals)}`);
  }
  return c;
}

export interface VersionState {
  version: number;
  status: VersionStatus;
  /** Everyone who wrote or edited this version (the first is its author). */
  authors: readonly string[];
  /** Who approved this version as it stands. */
  approvals: readonly string[];
}

export type AlertAction =
  | { type: 'edit'; actor: string }
  | { type: 'submit'; actor: string }
  | { type: 'approve'; actor: string }
  | { type: 'reject'; actor: string; note: string }
  | { type: 'issue'; actor: string }
  | { type: 'revise'; actor: string; note: string };

export type AlertActionType = AlertAction['type'];

export type AlertActionResult =
  | { ok: true; state: VersionState; /** For 'revise': the new draft version. */ next?: VersionState }
  | { ok: false; error: string };

function fail(error: string): AlertActionResult {
  return { ok: false, error };
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Apply one action to the current version. Never mutates its input. */
export function applyAlertAction(s: VersionState, action: AlertAction, config: AlertWorkflowConfig = DEFAULT_ALERT_WORKFLOW): AlertActionResult {
  switch (action.type) {
    case 'edit':
      if (s.status === 'issued' || s.status === 'superseded') return fail('An issued version cannot be changed: revise it to make a new version.');
      return {
        ok: true,
        state: {
          ...s,
          status: 'draft',
          approvals: [],
          authors: s.authors.some((a) => same(a, action.actor)) ? s.authors : [...s.authors, action.actor],
        },
      };
    case 'submit':
      if (s.status !== 'draft') return fail(`Only a draft can be sent for approval; this version is ${VERSION_STATUS_LABELS[s.status].toLowerCase()}.`);
      return { ok: true, state: { ...s, status: config.requiredApprovals === 0 ? 'approved' : 'awaiting_approval', approvals: [] } };
    case 'approve': {
      if (s.status !== 'awaiting_approval') return fail('Only a version awaiting approval can be approved.');
      if (s.authors.some((a) => same(a, action.actor))) return fail('You wrote or edited this version: someone else must approve it (two-person rule).');
      if (s.approvals.some((a) => same(a, action.actor))) return fail('You have already approved this version.');
      const approvals = [...s.approvals, action.actor];
      return { ok: true, state: { ...s, approvals, status: approvals.length >= config.requiredApprovals ? 'approved' : 'awaiting_approval' } };
    }
    case 'reject':
      if (s.status !== 'awaiting_approval' && s.status !== 'approved') return fail('Only a version awaiting approval or approved can be sent back.');
      if (action.note.trim() === '') return fail('Say why the version is sent back.');
      return { ok: true, state: { ...s, status: 'draft', approvals: [] } };
    case 'issue':
      if (s.status !== 'approved') {
        return fail(
          s.status === 'awaiting_approval'
            ? `This version needs ${config.requiredApprovals - s.approvals.length} more approval(s) before it can be issued.`
            : `Only an approved version can be issued; this version is ${VERSION_STATUS_LABELS[s.status].toLowerCase()}.`,
        );
      }
      return { ok: true, state: { ...s, status: 'issued' } };
    case 'revise':
      if (s.status !== 'issued') return fail('Only the issued version can be revised.');
      if (action.note.trim() === '') return fail('Write a revision note: what changed and why.');
      return { ok: true, state: s, next: { version: s.version + 1, status: 'draft', authors: [action.actor], approvals: [] } };
  }
}

/** The actions a person could take on a version now (before role checks). */
export function availableActions(s: VersionState, actor: string, config: AlertWorkflowConfig = DEFAULT_ALERT_WORKFLOW): AlertActionType[] {
  const probes: AlertAction[] = [
    { type: 'edit', actor },
    { type: 'submit', actor },
    { type: 'approve', actor },
    { type: 'reject', actor, note: 'x' },
    { type: 'issue', actor },
    { type: 'revise', actor, note: 'x' },
  ];
  return probes.filter((a) => applyAlertAction(s, a, config).ok).map((a) => a.type);
}
