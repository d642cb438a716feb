import type { Page } from 'playwright-core';
import { demoTotpCode } from '../../src/testing/app';

/**
 * After the password, the demo administrator and Caldicott guardian are asked for the code
 * of their authenticator app: enter the code of the published demo secret, as the user
 * would read it from their phone. Does nothing when no code is asked for.
 */
export async function passSecondFactor(page: Page): Promise<void> {
  const code = page.getByRole('textbox', { name: 'Security code' });
  const left = page.waitForURL((url) => !url.pathname.startsWith('/sign-in')).then(() => 'left' as const, () => 'timeout' as const);
  const asked = code.waitFor().then(() => 'asked' as const, () => 'timeout' as const);
  if ((await Promise.race([left, asked])) !== 'asked') return;
  await code.fill(await demoTotpCode());
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Signs in through the sign-in page (password, then the code when asked). */
export async function signInWithPage(page: Page, baseUrl: string, username: string, password: string, next?: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await passSecondFactor(page);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
