/**
 * The overdose-risk configuration an administrator has set (issue 4 §7): overrides of
 * src/domain/risk `defaultRiskConfig`, stored in `settings` under RISK_CONFIG_KEY. Every
 * consumer (record, caseload, report, worklists) reads it per request, so a change takes
 * effect at once. A stored value that no longer validates falls back to the defaults
 * (and the admin screen shows the problems), so a bad setting can never stop the profile.
 */
import type { Queryable } from '../db';
import { resolveRiskConfig, validateRiskConfig, type RiskConfig, type RiskConfigOverrides } from '../../domain/risk';
import { getSetting, setSetting } from '../settings';

export const RISK_CONFIG_KEY = 'risk.config';

export interface StoredRiskConfig {
  overrides: RiskConfigOverrides;
  config: RiskConfig;
  /** Problems with the stored overrides (then `config` is the defaults). */
  problems: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

let cache: { key: string; config: RiskConfig } | null = null;

/** The configuration in force (defaults + valid stored overrides), with where it came from. */
export async function loadRiskConfigState(db: Queryable): Promise<StoredRiskConfig> {
  const rows = await db.query<{ value: RiskConfigOverrides; updated_at: string; updated_by: string | null }>(
    'SELECT value, updated_at, updated_by FROM settings WHERE key = $1',
    [RISK_CONFIG_KEY],
  );
  const row = rows[0];
  if (!row) return { overrides: {}, config: resolveRiskConfig({}), problems: [], updatedAt: null, updatedBy: null };
  const key = `${row.updated_at}|${JSON.stringify(row.value)}`;
  let config: RiskConfig;
  let problems: string[];
  try {
    const candidate = resolveRiskConfig(row.value);
    problems = validateRiskConfig(candidate);
    config = problems.length === 0 ? candidate : resolveRiskConfig({});
  } catch (err) {
    problems = [`the stored configuration cannot be read (${err instanceof Error ? err.message : 'error'})`];
    config = resolveRiskConfig({});
  }
  // The same object while the setting is unchanged: the domain caches per config object.
  if (problems.length === 0) {
    if (cache?.key === key) config = cache.config;
    else cache = { key, config };
  }
  return { overrides: row.value, config, problems, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function loadRiskConfig(db: Queryable): Promise<RiskConfig> {
  return (await loadRiskConfigState(db)).config;
}

/** Validates and stores new overrides; returns the problems (nothing stored) or []. */
export async function saveRiskConfig(db: Queryable, overrides: RiskConfigOverrides, by: string): Promise<string[]> {
  let problems: string[];
  try {
    problems = validateRiskConfig(resolveRiskConfig(overrides));
  } catch (err) {
    problems = [`the configuration cannot be read (${err instanceof Error ? err.message : 'error'})`];
  }
  if (problems.length > 0) return problems;
  await setSetting(db, RISK_CONFIG_KEY, overrides, by);
  return [];
}

/** Back to the defaults of domain.md §2. */
export async function resetRiskConfig(db: Queryable): Promise<void> {
  await db.query('DELETE FROM settings WHERE key = $1', [RISK_CONFIG_KEY]);
}

/** Read the stored value only (for tests and the admin screen). */
export async function storedRiskOverrides(db: Queryable): Promise<RiskConfigOverrides | null> {
  return getSetting<RiskConfigOverrides>(db, RISK_CONFIG_KEY);
}
