import { describe, expect, test } from 'vitest';
import { toProblem } from './client';

describe('toProblem', () => {
  test('keeps an RFC 9457 problem as it is', () => {
    expect(
      toProblem(400, {
        type: 'https://beacon.invalid/problems/validation',
        title: 'The request is not valid',
        status: 400,
        detail: 'Check the fields',
        errors: [{ field: 'username', message: 'Enter your username' }],
      }),
    ).toEqual({
      type: 'https://beacon.invalid/problems/validation',
      title: 'The request is not valid',
      status: 400,
      detail: 'Check the fields',
      errors: [{ field: 'username', message: 'Enter your username' }],
    });
  });

  test('gives a plain title when the body is not a problem', () => {
    expect(toProblem(502, '<html>Bad gateway</html>')).toEqual({ title: 'Beacon is not responding', status: 502 });
    expect(toProblem(599, undefined)).toEqual({ title: 'Something went wrong on the server', status: 599 });
    expect(toProblem(418, undefined)).toEqual({ title: 'The request failed', status: 418 });
  });

  test('replaces a bare HTTP reason phrase with words a user can act on', () => {
    expect(toProblem(403, { title: 'Forbidden', status: 403, detail: 'Your role does not allow this.' })).toEqual({
      title: 'You do not have permission to do this',
      status: 403,
      detail: 'Your role does not allow this.',
    });
  });

  test('keeps extension members (such as breakGlassAvailable) apart from the standard ones', () => {
    expect(toProblem(403, { type: 'about:blank', title: 'Not on your caseload', status: 403, detail: 'Use break-the-glass.', instance: '/x', breakGlassAvailable: true })).toEqual({
      type: 'about:blank',
      title: 'Not on your caseload',
      status: 403,
      detail: 'Use break-the-glass.',
      extensions: { breakGlassAvailable: true },
    });
    expect(toProblem(404, { title: 'No such person', status: 404 }).extensions).toBeUndefined();
  });

  test('reads field errors in the shapes servers use', () => {
    const problem = toProblem(400, {
      title: 'Invalid',
      errors: ['plain message', { pointer: '#/password', detail: 'Too short' }, { path: ['a', 1], message: 'Bad' }, { nothing: true }],
    });
    expect(problem.errors).toEqual([
      { message: 'plain message' },
      { field: 'password', message: 'Too short' },
      { path: ['a', 1], message: 'Bad' },
    ]);
    expect(problem.status).toBe(400);
  });
});
