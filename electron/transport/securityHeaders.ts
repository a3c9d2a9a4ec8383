import { CONTENT_SECURITY_POLICY } from '../shell/securityPolicy.js';

/**
 * Headers for every web-mode response. The CSP is the desktop app's: only our own scripts, styles and the API
 * socket on the same origin; no inline script or style, no frames, no plugins.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}
