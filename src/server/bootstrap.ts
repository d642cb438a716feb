import type { Db } from '../data/db';
import { countUsers, enableTotp, insertUser, type SecretSealer } from '../data/accounts';
import { generatePassword, hashPassword } from './auth/passwords';
import { DEMO_TOTP_SECRET, totpRequiredFor } from './auth/totp';
import type { Role, ScopeType } from './access/roles';

/**
 * The password of the demo accounts. They exist only in a database holding the demo data.
 * The administrator and Caldicott guardian also need a code from an authenticator app set
 * up with DEMO_TOTP_SECRET (src/server/auth/totp.ts, docs/security.md).
 */
export const DEMO_PASSWORD = 'beacon-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
}

/** One demo account per role, scoped to the first demo service and area. */
export function demoAccounts(serviceId: string, localAuthority: string): DemoAccount[] {
  return [
    { username: 'admin', displayName: 'Alex Admin', role: 'administrator', scopeType: 'organisation', scopeId: null },
    { username: 'keyworker', displayName: 'Kim Keyworker', role: 'keyworker', scopeType: 'service', scopeId: serviceId },
    { username: 'prescriber', displayName: 'Dr Priya Prescriber', role: 'prescriber', scopeType: 'service', scopeId: serviceId },
    { username: 'manager', displayName: 'Sam Service-Manager', role: 'service_manager', scopeType: 'service', scopeId: serviceId },
    { username: 'data', displayName: 'Dana Data-Manager', role: 'data_manager', scopeType: 'organisation', scopeId: null },
    { username: 'ldis', displayName: 'Lee LDIS-Coordinator', role: 'ldis_coordinator', scopeType: 'local_authority', scopeId: localAuthority },
    { username: 'panel', displayName: 'Pat Panel-Member', role: 'panel_member', scopeType: 'local_authority', scopeId: localAuthority },
    { username: 'police', displayName: 'PC Parker (police submitter)', role: 'partner_submitter', scopeType: 'partner', scopeId: 'police' },
    { username: 'pin', displayName: 'Chris Commissioner', role: 'pin_member', scopeType: 'local_authority', scopeId: localAuthority },
    { username: 'caldicott', displayName: 'Casey Caldicott-Guardian', role: 'caldicott_guardian', scopeType: 'organisation', scopeId: null },
  ];
}

export async function createDemoAccounts(db: Db, serviceId: string, localAuthority: string, box: SecretSealer): Promise<DemoAccount[]> {
  const accounts = demoAccounts(serviceId, localAuthority);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const a of accounts) {
    const id = await insertUser(db, { username: a.username, displayName: a.displayName, passwordHash, role: a.role, scopeType: a.scopeType, scopeId: a.scopeId, demo: true });
    // The roles that need a second factor get the published demo secret (docs/security.md).
    // Stored encrypted like any other secret.
    if (totpRequiredFor(a.role, false)) await enableTotp(db, box, id, DEMO_TOTP_SECRET, 0, []);
  }
  return accounts;
}

/**
 * A real install starts with no accounts: create one administrator with a random
 * one-time password and hand it back to be shown once on the console (never logged).
 */
export async function ensureFirstAdministrator(db: Db): Promise<{ username: string; password: string } | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = generatePassword();
  await insertUser(db, {
    username: 'administrator',
    displayName: 'Administrator',
    passwordHash: await hashPassword(password),
    role: 'administrator',
    scopeType: 'organisation',
    scopeId: null,
  });
  return { username: 'administrator', password };
}
