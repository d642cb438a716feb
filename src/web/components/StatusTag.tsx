import { Tag, type TagProps } from 'nhsuk-react-components';
import type { FindingSeverity, ImportRun, ImportStatus } from '../api/types';

const IMPORT_STATUS: Record<ImportStatus, { text: string; modifier: TagProps['modifier'] }> = {
  running: { text: 'Running', modifier: 'blue' },
  succeeded: { text: 'Imported', modifier: 'green' },
  validated: { text: 'Checked', modifier: 'aqua-green' },
  partial: { text: 'Partly imported', modifier: 'orange' },
  rejected: { text: 'Rejected', modifier: 'red' },
  failed: { text: 'Failed', modifier: 'red' },
};

export function importStatusText(status: ImportStatus): string {
  return IMPORT_STATUS[status]?.text ?? status;
}

export function ImportStatusTag({ run }: { run: Pick<ImportRun, 'status'> }) {
  const entry = IMPORT_STATUS[run.status] ?? { text: run.status, modifier: 'grey' as const };
  return <Tag modifier={entry.modifier}>{entry.text}</Tag>;
}

const SEVERITY: Record<FindingSeverity, { text: string; modifier: TagProps['modifier'] }> = {
  error: { text: 'Error', modifier: 'red' },
  warning: { text: 'Warning', modifier: 'yellow' },
  info: { text: 'Information', modifier: 'blue' },
};

export function SeverityTag({ severity }: { severity: string }) {
  const entry = SEVERITY[severity as FindingSeverity] ?? { text: severity, modifier: 'grey' as const };
  return <Tag modifier={entry.modifier}>{entry.text}</Tag>;
}
