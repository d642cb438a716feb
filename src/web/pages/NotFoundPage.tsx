import { usePageTitle } from '../components/usePageTitle';
import { Link } from '../router/router';

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  usePageTitle(what === 'page' ? 'Page not found' : `${capitalise(what)} not found`);
  return (
    <>
      <h1>{what === 'page' ? 'Page not found' : `${capitalise(what)} not found`}</h1>
      <p>If you typed the web address, check it is correct.</p>
      <p>If you pasted the web address, check you copied the entire address.</p>
      <p>
        <Link to="/">Go to the Beacon home page</Link>.
      </p>
    </>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
