import type { ReactNode } from 'react';
import type { User } from '../../api/types';

/** The warning pages for a path, or null when the path is not one of them. */
export function warningRoute(pathname: string, user: User): ReactNode | null {
  void pathname;
  void user;
  return null;
}
