import { describe, expect, test } from 'vitest';
import { matchPath, safeReturnPath } from './router';

describe('matchPath', () => {
  test.each([
    ['/', '/', {}],
    ['/data', '/data', {}],
    ['/data', '/data/', {}],
    ['/data', '/data/import', null],
    ['/data/imports/:id', '/data/imports/42', { id: '42' }],
    ['/data/imports/:id', '/data/imports/a%20b', { id: 'a b' }],
    ['/data/imports/:id', '/data/imports/', null],
    ['/data/imports/:id', '/data/imports/%E0%A4%A', null],
    ['/mat', '/risk', null],
  ])('%s against %s', (pattern, path, expected) => {
    expect(matchPath(pattern, path)).toEqual(expected);
  });
});

describe('safeReturnPath', () => {
  test.each([
    [null, '/'],
    ['', '/'],
    ['/data?x=1', '/data?x=1'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['/sign-in?next=/data', '/'],
    ['data', '/'],
  ])('%j → %j', (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });
});
