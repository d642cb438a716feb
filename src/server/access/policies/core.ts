import { ALL_STAFF, CARE_TEAM, DATA_STEWARDS, type ActionPolicy } from './shared';

/** The platform: health, sign-in, data, import/export, administration, MAT and risk reports. */
export const CORE_POLICIES = {
  'public.health': { roles: 'anyone', audit: 'none', identifiable: false, description: 'Service health check' },
  'public.openapi': { roles: 'anyone', audit: 'none', identifiable: false, description: 'The OpenAPI document' },
  'auth.sign_in': { roles: 'anyone', audit: 'always', identifiable: false, description: 'Sign in' },
  'auth.sign_out': { roles: 'signed-in', audit: 'always', identifiable: false, description: 'Sign out' },
  'auth.me': { roles: 'signed-in', audit: 'denied-only', identifiable: false, description: 'Who am I' },
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
