/** The origin the desktop UI is served from (the app:// protocol). */
export const APP_ORIGIN = 'app://renderer';

/**
 * Only our own pages may talk to main or navigate; anything unparsable is untrusted. Compared by protocol and
 * host: Node's URL gives custom schemes an opaque origin ("null"), so comparing origins would refuse everything.
 */
export function isTrustedUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'renderer' && parsed.username === '' && parsed.port === '';
  } catch {
    return false;
  }
}
