import { createHash } from 'node:crypto';
import fastifyHelmet from '@fastify/helmet';
import type { App } from './http.js';

/**
 * The Content-Security-Policy of every response. Scripts come only from the app's own files (the
 * Vite builds put none inline, and nothing needs eval); styles may be inline because antd's and
 * the API reference's CSS-in-JS insert <style> elements at run time; images may be data: or blob:
 * URLs (QR codes, posters); nothing may frame a page.
 */
export const cspDirectives = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
} as const;

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const policyText = (extraScriptSources: readonly string[] = []) =>
  Object.entries(cspDirectives)
    .map(([name, sources]) => `${kebab(name)} ${[...sources, ...(name === 'scriptSrc' ? extraScriptSources : [])].join(' ')}`)
    .join('; ');

const inlineScripts = (html: string) =>
  [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '').filter((body) => body.trim() !== '');

/**
 * Security headers on every response (helmet): the policy above, frame-ancestors 'none' with
 * X-Frame-Options DENY, nosniff, no Referer sent elsewhere. The API reference page (a plugin's
 * HTML) starts itself with one inline script: that page alone allows it, by its hash.
 */
export const installSecurityHeaders = async (app: App, options: { inlineScriptPrefix: string }) => {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { ...cspDirectives } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP on a clinic's own network must keep working: no upgrade-insecure-requests.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith(options.inlineScriptPrefix) || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const hashes = inlineScripts(payload).map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    if (hashes.length > 0) reply.header('content-security-policy', policyText(hashes));
    return payload;
  });
};
