import { ALL_STAFF, CARE_TEAM, DATA_STEWARDS, type ActionPolicy } from './shared';

/** The platform: health, sign-in, data, import/export, administration, MAT and risk reports. */
export const CORE_POLICIES = {
  'public.health': { roles: 'anyone', audit: 'none', identifiable: false, description: 'Service health check' },
  'public.openapi': { roles: 'anyone', audit: 'none', identifiable: false, description: 'The OpenAPI document' },
  'auth.sign_in': { roles: 'anyone', audit: 'always', identifiable: false, description: 'Sign in' },
  'auth.sign_out': { roles: 'signed-in', audit: 'always', identifiable: false, description: 'Sign out' },
  'auth.me': { roles: 'signed-in', audit: 'denied-only', identifiable: false, description: 'Who am I' },
  'auth.totp_enrol': { roles: 'anyone', audit: 'always', identifiable: false, description: 'Confirm a second factor (TOTP) with a code, on first sign-in or from the account page' },
  'auth.oidc': { roles: 'anyone', audit: 'always', identifiable: false, description: 'Sign in through the organisation\'s identity provider (OpenID Connect)' },
  'auth.oidc_config': { roles: 'anyone', audit: 'none', identifiable: false, description: 'Whether single sign-on is offered' },
  'auth.account': { roles: 'signed-in', audit: 'denied-only', identifiable: false, description: 'Your own account: second factor and password' },
  'auth.account_change': { roles: 'signed-in', audit: 'always', identifiable: false, description: 'Change your own password or second factor' },
  'data.summary': { roles: ALL_STAFF, audit: 'denied-only', identifiable: false, description: 'Row counts per table' },
  'data.quality': { roles: [...DATA_STEWARDS, 'service_manager', 'caldicott_guardian'], audit: 'denied-only', identifiable: false, description: 'Data-quality findings (counts)' },
  'data.imports.read': { roles: [...DATA_STEWARDS, 'caldicott_guardian'], audit: 'denied-only', identifiable: false, description: 'Import history and reports' },
  'data.imports.problems': { roles: DATA_STEWARDS, audit: 'always', identifiable: true, description: 'Download the problem rows of an import (may quote identifiable values)' },
  'data.import': { roles: DATA_STEWARDS, audit: 'always', identifiable: true, description: 'Import a dataset' },
  'data.export': { roles: DATA_STEWARDS, audit: 'always', identifiable: true, description: 'Export the dataset (identifiable)' },
  'admin.backup': { roles: ['administrator'], audit: 'always', identifiable: true, description: 'Back up or restore the database' },
  'admin.migrate': { roles: ['administrator'], audit: 'always', identifiable: false, description: 'Apply database migrations' },
  'admin.demo': { roles: ['administrator', 'data_manager'], audit: 'always', identifiable: false, description: 'Generate or load synthetic demo data' },
  'mat.tracker': { roles: [...CARE_TEAM, 'ldis_coordinator'], audit: 'denied-only', identifiable: false, description: 'MAT tracker and service data (aggregate figures)' },
  'mat.report': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'MAT report with the people behind it (scope-filtered)' },
  'mat.worklists': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'MAT priority worklists naming people (scope-filtered)' },
  'risk.report': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'Overdose-risk report with the people behind it (scope-filtered)' },
  'risk.person': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: "One person's MAT position and overdose-risk profile" },
} as const satisfies Record<string, ActionPolicy>;
