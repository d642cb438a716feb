import type { ReactNode } from 'react';
import type { User } from '../../api/types';

/** The admin pages for a path, or null when the path is not one of them. */
export function adminRoute(pathname: string, user: User): ReactNode | null {
  void pathname;
  void user;
  return null;
}
