import { DATASET_FILE_NAMES } from './dataset';

/**
 * What is wrong with the files chosen for an import, if anything, checked before anything
 * is sent: one .xlsx workbook, or one or more CSV files named after the dataset's tables.
 * (The server checks the same; this saves a round trip and says it next to the field.)
 */
export function checkFiles(files: readonly { name: string }[]): string | null {
  if (files.length === 0) return 'Select an Excel workbook (.xlsx) or one or more CSV files';
  const other = files.find((f) => !/\.(xlsx|csv)$/i.test(f.name));
  if (other) return `${other.name} is not a CSV file or an Excel workbook (.xlsx)`;
  const workbooks = files.filter((f) => /\.xlsx$/i.test(f.name));
  const csvs = files.filter((f) => /\.csv$/i.test(f.name)).map((f) => f.name.toLowerCase());
  if (workbooks.length > 1) return 'Select one Excel workbook at a time';
  if (workbooks.length === 1 && csvs.length > 0) return 'Select either one Excel workbook or CSV files, not both';
  const unknown = files.find((f) => /\.csv$/i.test(f.name) && !DATASET_FILE_NAMES.has(f.name.toLowerCase()));
  if (unknown) return `${unknown.name} is not a dataset file name – name each CSV file after its table, for example people.csv`;
  const seen = new Set<string>();
  for (const name of csvs) {
    if (seen.has(name)) return `${name} is selected twice – select each file once`;
    seen.add(name);
  }
  return null;
}
