import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWebServer } from '../../../electron/transport/webServer.js';
import { APP_JS, cookie, engine, INDEX_HTML, parent, port, request, SECRET, server, token, tryConnect, useWebServer } from './webServerFixture.js';

useWebServer();

describe('startWebServer: address', () => {
  it('prints a URL on 127.0.0.1 with a token query parameter', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(port));
    expect(token.length).toBeGreaterThanOrEqual(16);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect('::1', port)).not.toBe('connected');
    // On Linux all of 127/8 is loopback: a wildcard listener would answer here, a 127.0.0.1 one does not.
    expect(await tryConnect('127.0.0.2', port)).not.toBe('connected');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (external) expect(await tryConnect(external.address, port)).not.toBe('connected');
  });

  it('refuses to start when the renderer is not built, pointing at npm run build', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-web-empty-'));
    try {
      await expect(startWebServer({ engine, rendererDir: empty, port: 0 })).rejects.toThrow(/npm run build/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('startWebServer: token', () => {
  it('answers 401 without a token, and says so', async () => {
    const res = await request(port, '/');
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/token/i);
  });

  it('answers 401 with a wrong token', async () => {
    expect((await request(port, '/?token=wrong')).status).toBe(401);
    expect((await request(port, `/?token=${token}x`)).status).toBe(401);
    expect((await request(port, '/', { headers: { Cookie: `${cookie}x` } })).status).toBe(401);
  });

  it('trades the right token for an HttpOnly SameSite=Strict cookie and a 303 to / without the token', async () => {
    const res = await request(port, `/?token=${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers.location).not.toContain(token);
    const setCookie = res.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toContain(`=${token}`);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
  });

  it('keeps the rest of the query when it strips the token', async () => {
    const res = await request(port, `/story/3?token=${token}&x=1`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/story/3?x=1');
  });

  it('never redirects to another site when trading the token (no open redirect)', async () => {
    for (const target of [`//attacker.example?token=${token}`, `//x//attacker.example?token=${token}`]) {
      const res = await request(port, target);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/(?!\/)/);
    }
  });

  it('serves index.html as text/html with the cookie', async () => {
    const res = await request(port, '/', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX_HTML);
  });

  it('serves assets as text/javascript with the cookie', async () => {
    const res = await request(port, '/assets/app.js', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.body).toBe(APP_JS);
  });

  it('finds its cookie among others', async () => {
    const res = await request(port, '/', { headers: { Cookie: `a=1; ${cookie}; b=2` } });
    expect(res.status).toBe(200);
  });
});

describe('startWebServer: static files', () => {
  it('never serves a file outside rendererDir (path traversal)', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fsecret',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      `/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f${parent.slice(1)}/secret.txt`,
      `/${encodeURIComponent(path.join(parent, 'secret.txt'))}`,
    ];
    for (const target of attempts) {
      const res = await request(port, target, { headers: { Cookie: cookie } });
      expect(res.body, target).not.toContain(SECRET);
      expect(res.body, target).not.toContain('root:');
      expect(res.body, target).not.toContain('"name": "longtale"');
      expect(res.status === 404 || res.body === INDEX_HTML, `${target} → ${res.status}`).toBe(true);
    }
  });

  it('answers 404 for an unknown asset with an extension', async () => {
    const res = await request(port, '/assets/missing.js', { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
  });

  it('answers an app route without an extension with index.html', async () => {
    const res = await request(port, '/story/3', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX_HTML);
  });

  it('answers 405 to POST', async () => {
    const res = await request(port, '/', { method: 'POST', headers: { Cookie: cookie } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD without a body', async () => {
    const res = await request(port, '/', { method: 'HEAD', headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });
});

describe('startWebServer: Host header (DNS rebinding)', () => {
  it('answers 421 to a foreign Host even with a valid token', async () => {
    const res = await request(port, `/?token=${token}`, { headers: { Host: `evil.example:${port}` } });
    expect(res.status).toBe(421);
    expect(res.headers['set-cookie']).toBeUndefined();
    const withCookie = await request(port, '/', { headers: { Host: `evil.example:${port}`, Cookie: cookie } });
    expect(withCookie.status).toBe(421);
    expect(withCookie.body).not.toContain(INDEX_HTML);
  });

  it('answers 421 to the loopback name on another port', async () => {
    const res = await request(port, '/', { headers: { Host: `127.0.0.1:${port + 1}`, Cookie: cookie } });
    expect(res.status).toBe(421);
  });

  it('accepts localhost:PORT and 127.0.0.1:PORT', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      const res = await request(port, '/', { headers: { Host: host, Cookie: cookie } });
      expect(res.status, host).toBe(200);
    }
  });
});

describe('startWebServer: security headers', () => {
  it('sends a strict CSP and the other security headers', async () => {
    for (const res of [
      await request(port, '/', { headers: { Cookie: cookie } }),
      await request(port, '/assets/app.js', { headers: { Cookie: cookie } }),
      await request(port, '/'),
      await request(port, '/', { headers: { Host: 'evil.example' } }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
