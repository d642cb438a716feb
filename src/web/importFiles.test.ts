import { describe, expect, test } from 'vitest';
import { checkFiles } from './importFiles';

const files = (...names: string[]) => names.map((name) => ({ name }));

describe('checkFiles', () => {
  test.each([
    [[], 'Select an Excel workbook (.xlsx) or one or more CSV files'],
    [['people.csv'], null],
    [['People.CSV', 'prescriptions.csv', 'top.csv'], null],
    [['dataset.xlsx'], null],
    [['notes.txt'], 'notes.txt is not a CSV file or an Excel workbook (.xlsx)'],
    [['a.xlsx', 'b.xlsx'], 'Select one Excel workbook at a time'],
    [['a.xlsx', 'people.csv'], 'Select either one Excel workbook or CSV files, not both'],
    [['people (1).csv'], 'people (1).csv is not a dataset file name – name each CSV file after its table, for example people.csv'],
    [['people.csv', 'PEOPLE.csv'], 'people.csv is selected twice – select each file once'],
  ])('%j → %j', (names, expected) => {
    expect(checkFiles(files(...names))).toBe(expected);
  });
});
