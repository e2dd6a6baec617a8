import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test helper: a local HTTP server that answers as WeChat's official-account API — access tokens
 * (/cgi-bin/token), template messages (/cgi-bin/message/template/send) and the web authorisation's
 * code exchange (/sns/oauth2/access_token) — checking the app id and secret and the token the way
 * WeChat does, so the real sender can be driven end to end.
 */

export type FakeWechatOutcome = 'ok' | 'throttled' | 'unsubscribed' | 'invalid_openid' | 'bad_template' | 'busy';

/** A template message WeChat accepted. */
export type FakeWechatMessage = { touser: string; template_id: string; url?: string; data: Record<string, { value: string }>; msgid: number };

export type FakeWechatServer = {
  /** http://127.0.0.1:<port>, for WECHAT_API_ENDPOINT. */
  endpoint: string;
  messages: FakeWechatMessage[];
  /** How many access tokens were handed out. */
  tokensIssued: () => number;
  /** Every answer's errcode, in order, by path (0 for success). */
  answers: { path: string; errcode: number }[];
  /** What to answer a template message to this openid; unscripted ones succeed. */
  script: (openid: string, outcome: FakeWechatOutcome) => void;
  /** Makes every token handed out so far invalid (as when another server fetched a new one). */
  revokeTokens: () => void;
  /** A web-authorisation code, as WeChat gives the member's browser, that exchanges for this openid once. */
  issueCode: (openid: string) => string;
  close: () => Promise<void>;
};

const outcomes: Record<Exclude<FakeWechatOutcome, 'ok'>, { errcode: number; errmsg: string }> = {
  throttled: { errcode: 45009, errmsg: 'reach max api daily quota limit' },
  unsubscribed: { errcode: 43004, errmsg: 'require subscribe' },
  invalid_openid: { errcode: 40003, errmsg: 'invalid openid' },
  bad_template: { errcode: 40037, errmsg: 'invalid template_id' },
  busy: { errcode: -1, errmsg: 'system error' },
};

// WeChat's limits per field kind, to refuse an over-long value as WeChat does (47003).
const limits: Record<string, number> = { thing: 20, name: 10, phrase: 5, character_string: 32, number: 32, letter: 32, phone_number: 17 };

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const readBody = (incoming: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });

export const startFakeWechatServer = async (app: { appId: string; appSecret: string }): Promise<FakeWechatServer> => {
  const messages: FakeWechatMessage[] = [];
  const answers: { path: string; errcode: number }[] = [];
  const scripted = new Map<string, FakeWechatOutcome>();
  const validTokens = new Set<string>();
  const codes = new Map<string, string>();
  let issued = 0;
  let msgid = 2_000_000_000;

  const answer = (response: ServerResponse, path: string, body: { errcode?: number } & Record<string, unknown>) => {
    answers.push({ path, errcode: body.errcode ?? 0 });
    sendJson(response, 200, body);
  };

  const server = createServer((incoming, response) => {
    readBody(incoming).then(
      (text) => {
        const url = new URL(incoming.url ?? '/', 'http://fake');
        const query = url.searchParams;
        if (url.pathname === '/cgi-bin/token' && incoming.method === 'GET') {
          if (query.get('grant_type') !== 'client_credential' || query.get('appid') !== app.appId) {
            answer(response, url.pathname, { errcode: 40013, errmsg: 'invalid appid' });
          } else if (query.get('secret') !== app.appSecret) {
            answer(response, url.pathname, { errcode: 40125, errmsg: 'invalid appsecret' });
          } else {
            issued += 1;
            const token = `token-${issued}-${randomUUID()}`;
            validTokens.add(token);
            answer(response, url.pathname, { access_token: token, expires_in: 7200 });
          }
          return;
        }
        if (url.pathname === '/cgi-bin/message/template/send' && incoming.method === 'POST') {
          if (!validTokens.has(query.get('access_token') ?? '')) {
            answer(response, url.pathname, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
            return;
          }
          const body = JSON.parse(text) as Omit<FakeWechatMessage, 'msgid'>;
          const outcome = scripted.get(body.touser) ?? 'ok';
          if (outcome !== 'ok') {
            answer(response, url.pathname, outcomes[outcome]);
            return;
          }
          const tooLong = Object.entries(body.data ?? {}).find(([key, field]) => {
            const limit = limits[key.replace(/\d+$/, '')];
            return limit !== undefined && Array.from(field.value).length > limit;
          });
          if (tooLong) {
            answer(response, url.pathname, { errcode: 47003, errmsg: `argument invalid! data.${tooLong[0]}.value invalid` });
            return;
          }
          msgid += 1;
          messages.push({ ...body, msgid });
          answer(response, url.pathname, { errcode: 0, errmsg: 'ok', msgid });
          return;
        }
        if (url.pathname === '/sns/oauth2/access_token' && incoming.method === 'GET') {
          const openid = codes.get(query.get('code') ?? '');
          if (query.get('appid') !== app.appId || query.get('secret') !== app.appSecret) {
            answer(response, url.pathname, { errcode: 40125, errmsg: 'invalid appsecret' });
          } else if (!openid || query.get('grant_type') !== 'authorization_code') {
            answer(response, url.pathname, { errcode: 40029, errmsg: 'invalid code' });
          } else {
            codes.delete(query.get('code') ?? '');
            answer(response, url.pathname, { access_token: `web-${randomUUID()}`, expires_in: 7200, refresh_token: 'r', openid, scope: 'snsapi_base' });
          }
          return;
        }
        sendJson(response, 404, { errcode: 404, errmsg: 'not a WeChat API path' });
      },
      () => sendJson(response, 400, { errcode: 44002, errmsg: 'empty post data' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    messages,
    answers,
    tokensIssued: () => issued,
    script: (openid, outcome) => {
      scripted.set(openid, outcome);
    },
    revokeTokens: () => validTokens.clear(),
    issueCode: (openid) => {
      const code = `code-${randomUUID()}`;
      codes.set(code, openid);
      return code;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
