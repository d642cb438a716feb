import { useEffect } from 'react';

/** Every page has its own title: "<page> – Beacon". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} – Beacon` : 'Beacon';
  }, [title]);
}
