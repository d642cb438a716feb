/**
 * Alerts, PIN reports, redacted copies and distribution (issue 7; domain.md §3.5 and §5).
 * Pure: no I/O, no clock reads.
 */
export * from './content';
export * from './workflow';
export * from './tiers';
export * from './pinReport';
export * from './delivery';
