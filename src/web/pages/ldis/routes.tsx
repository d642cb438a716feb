import type { ReactNode } from 'react';
import type { User } from '../../api/types';

/** The ldis pages for a path, or null when the path is not one of them. */
export function ldisRoute(pathname: string, user: User): ReactNode | null {
  void pathname;
  void user;
  return null;
}
