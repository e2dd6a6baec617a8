import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import scalarReference from '@scalar/fastify-api-reference';
import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Database, migrationVersion } from './db/client.js';
import { arrive, arriveByAppointment, proposeArrivalType, retypeVisit } from './flows/arrive.js';
import { changeTier } from './flows/change-tier.js';
import { checkoutOrder, openOrder, takeOrderNumber } from './flows/checkout.js';
import { createClinic } from './flows/create-clinic.js';
import { customerElsewhereRoutes } from './flows/customer-elsewhere.js';
import { payArrears } from './flows/pay-arrears.js';
import { priceForCustomer } from './flows/price-order.js';
import { receiptPortalRoutes, receiptRoutes } from './flows/receipt.js';
import { refundOrder } from './flows/refund-order.js';
import { changeCustomer, registerCustomer } from './flows/register-customer.js';
import { reversePayment } from './flows/reverse-payment.js';
import { customerListConditions, todayRoutes } from './flows/today.js';
import { voidOrder } from './flows/void-order.js';
import { auditRoutes } from './modules/audit/index.js';
import { cardPortalRoutes, cardRoutes } from './modules/cards/index.js';
import { catalogRoutes } from './modules/catalog/index.js';
import { customerRoutes, customerSettingsRoutes } from './modules/customers/index.js';
import { campaignJobKind, followupCampaignRoutes, followupRoutes, runCampaignJobStep } from './modules/followups/index.js';
import { membershipRoutes } from './modules/membership/index.js';
import {
  logSmsChannel,
  messageCampaignJobKind,
  messageCampaignRoutes,
  messagingPortalRoutes,
  messagingRoutes,
  runMessageCampaignJobStep,
  type SmsChannel,
  type SmsSenderFactory,
  smsCallbackRoutes,
  smsProvidersFromEnv,
  smsSenderFactory,
  wechatEndpointFromEnv,
} from './modules/messaging/index.js';
import { orderPortalRoutes, orderRoutes, orderSettingsRoutes } from './modules/orders/index.js';
import { pointsRoutes } from './modules/points/index.js';
import { portalRoutes } from './modules/portal/index.js';
import { referralPortalRoutes, referralRoutes } from './modules/referrals/index.js';
import { installAuth, staffRoutes } from './modules/staff/index.js';
import { clinicLogoRoutes, tenantRoutes } from './modules/tenants/index.js';
import { bookingSettingsRoutes, visitPortalRoutes, visitRoutes } from './modules/visits/index.js';
import {
  distributionRunJobKind,
  runDistributionJobStep,
  voucherClaimPortalRoutes,
  voucherDistributionRoutes,
  voucherPortalRoutes,
  voucherRoutes,
} from './modules/vouchers/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Deps } from './platform/deps.js';
import { type App, installErrorHandling, installTextGuard } from './platform/http.js';
import { jobRoutes } from './platform/job-routes.js';
import { createJobRunner, type JobHandler, type JobRunner } from './platform/jobs.js';
import { RateLimiter } from './platform/rate-limit.js';
import { installReferenceGuard, type ReferenceTables } from './platform/references.js';
import type { SecretBox } from './platform/secret-box.js';
import { installSecurityHeaders } from './platform/security-headers.js';
import { type SnapshotSettings, systemRoutes } from './platform/system-routes.js';

// Validation messages in Chinese: the console shows them to clinic staff as they are.
z.config(z.locales.zhCN());

/** Every /api/v1 route with what it requires: the security tests walk this list. */
export type RouteEntry = { method: string; url: string; permission: string | undefined; isPublic: boolean };

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
    /** Background jobs of this process (tests await `jobs.idle()` after starting one). */
    jobs: JobRunner;
  }
}

/** Every kind of background job, by the name its rows carry. */
const jobHandlers: Record<string, JobHandler> = {
  [distributionRunJobKind]: runDistributionJobStep,
  [messageCampaignJobKind]: runMessageCampaignJobStep,
  [campaignJobKind]: runCampaignJobStep,
};

export type BuildAppOptions = {
  database: Database;
  clock?: Clock;
  loggerInstance?: FastifyBaseLogger;
  /** Secure cookies on every response; without it, on responses to requests that came over HTTPS. */
  secureCookies?: boolean;
  /** Built console and portal (dist/web); not served when absent. */
  webDistDir?: string;
  version?: string;
  /** The development SMS channel (the server's console by default). */
  smsChannel?: SmsChannel;
  /** Whether a clinic may use the development channel for real messages (demo and development); never in production. */
  isDevSmsAllowed?: boolean;
  /** Signs the SMS providers' callback addresses (YUEHUI_CALLBACK_SECRET by default); callbacks are off without it. */
  callbackSecret?: string;
  /** Seals and opens the secrets clinics enter (YUEHUI_SECRET_KEY or embedded mode's key file); without it they cannot be saved. */
  secretBox?: SecretBox;
  /** WeChat's API base (WECHAT_API_ENDPOINT, else WeChat's own). */
  wechatEndpoint?: string;
  /** Each clinic's SMS sender; by default its provider from the environment's keys, or the development channel where allowed. */
  smsSender?: SmsSenderFactory;
  /**
   * Only behind a known reverse proxy: otherwise clients could forge their address (and dodge rate
   * limits) or claim HTTPS. Trusted, its X-Forwarded-Proto decides whether cookies are Secure.
   */
  trustProxy?: boolean | string;
  /**
   * Also look for due background jobs every few seconds (queued, retried, or left by a crashed
   * process): the server does; tests run only the jobs their own requests start.
   */
  isJobPollingOn?: boolean;
  /** Embedded mode: where the daily snapshots are, for the owner's system status. */
  snapshots?: SnapshotSettings;
  /** Who may use the setup page once a clinic exists (see Deps); closed by default. */
  setupPolicy?: 'first_clinic_only' | 'open';
};

/**
 * What routes need from beyond their module, handed in here: the flows they start (a module never
 * imports a flow) and conditions another module answers.
 */
const wiring = {
  registerCustomer,
  changeCustomer,
  proposeArrivalType,
  arrive,
  arriveByAppointment,
  retypeVisit,
  customerListConditions,
  openOrder,
  checkoutOrder,
  payArrears,
  voidOrder,
  refundOrder,
  reversePayment,
  takeOrderNumber,
  priceForCustomer,
  changeTier,
  createClinic,
};

/**
 * The tables the id fields of /api/v1 bodies and queries name, by field name: the reference guard
 * answers 404 for an id that is not the caller's clinic's before any route runs. A new id field
 * is added here (the cross-clinic suite in test/security.db.test.ts fails until it is).
 */
const referenceTables: ReferenceTables = {
  storeId: { table: 'stores', name: '门店' },
  storeIds: { table: 'stores', name: '门店' },
  firstStoreId: { table: 'stores', name: '门店' },
  customerId: { table: 'customers', name: '客户' },
  customerIds: { table: 'customers', name: '客户' },
  memberId: { table: 'customers', name: '客户' },
  referrerId: { table: 'customers', name: '推荐人' },
  consultantId: { table: 'staff_users', name: '顾问' },
  staffId: { table: 'staff_users', name: '员工' },
  staffIds: { table: 'staff_users', name: '员工' },
  executorId: { table: 'staff_users', name: '执行人' },
  assigneeId: { table: 'staff_users', name: '负责人' },
  cashierId: { table: 'staff_users', name: '收银员' },
  itemId: { table: 'items', name: '品项' },
  itemIds: { table: 'items', name: '品项' },
  categoryId: { table: 'item_categories', name: '品项分类' },
  categoryIds: { table: 'item_categories', name: '品项分类' },
  excludedCategoryIds: { table: 'item_categories', name: '品项分类' },
  tierId: { table: 'membership_tiers', name: '会员等级' },
  tierIds: { table: 'membership_tiers', name: '会员等级' },
  grantsTierId: { table: 'membership_tiers', name: '会员等级' },
  cardProductId: { table: 'card_products', name: '卡项' },
  templateId: { table: 'voucher_templates', name: '券模板' },
  referrerVoucherTemplateId: { table: 'voucher_templates', name: '券模板' },
  referredVoucherTemplateId: { table: 'voucher_templates', name: '券模板' },
  voucherIds: { table: 'customer_vouchers', name: '券' },
  orderId: { table: 'orders', name: '订单' },
  lineId: { table: 'order_lines', name: '订单明细' },
  orderLineId: { table: 'order_lines', name: '订单明细' },
  visitId: { table: 'visits', name: '到访记录' },
  campaignId: { table: 'message_campaigns', name: '群发活动' },
};

/** Everything under /api/v1, each module's routes registered with the same dependencies. */
const apiModules: ((app: App, deps: Deps) => void)[] = [
  (app, deps) => staffRoutes(app, deps, wiring),
  tenantRoutes,
  (app, deps) => customerRoutes(app, deps, wiring),
  catalogRoutes,
  (app, deps) => visitRoutes(app, deps, wiring),
  (app, deps) => orderRoutes(app, deps, wiring),
  pointsRoutes,
  (app, deps) => membershipRoutes(app, deps, wiring),
  (app, deps) => cardRoutes(app, deps, wiring),
  voucherRoutes,
  voucherDistributionRoutes,
  referralRoutes,
  messagingRoutes,
  messageCampaignRoutes,
  followupRoutes,
  followupCampaignRoutes,
  customerSettingsRoutes,
  bookingSettingsRoutes,
  orderSettingsRoutes,
  auditRoutes,
  jobRoutes,
  todayRoutes,
  receiptRoutes,
  customerElsewhereRoutes,
];

export const buildApp = async (options: BuildAppOptions): Promise<App> => {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: false }),
    genReqId: () => crypto.randomUUID(),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const clock = options.clock ?? systemClock;
  const jobs = createJobRunner({
    db: options.database.db,
    clock,
    handlers: jobHandlers,
    onError: (error, job) => app.log.error({ err: error, jobId: job?.id, kind: job?.kind }, 'background job step failed'),
  });
  app.decorate('jobs', jobs);
  app.addHook('onClose', () => jobs.stop());
  if (options.isJobPollingOn) jobs.start();
  const devSms = options.smsChannel ?? logSmsChannel();
  const deps: Deps = {
    db: options.database.db,
    databaseKind: options.database.kind,
    clock,
    limiter: new RateLimiter(options.database.db, () => clock.now().getTime()),
    secureCookies: options.secureCookies ?? false,
    sms: devSms,
    smsSender:
      options.smsSender ??
      smsSenderFactory({ devChannel: devSms, isDevChannelAllowed: options.isDevSmsAllowed ?? true, providers: smsProvidersFromEnv(process.env) }),
    secretBox: options.secretBox,
    jobs,
    setupPolicy: options.setupPolicy ?? 'first_clinic_only',
    callbackSecret: options.callbackSecret ?? process.env.YUEHUI_CALLBACK_SECRET,
    wechatEndpoint: options.wechatEndpoint ?? wechatEndpointFromEnv(process.env),
  };

  const routeCatalog: RouteEntry[] = [];
  app.decorate('routeCatalog', routeCatalog);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || !route.url.startsWith('/api/v1/')) continue;
      routeCatalog.push({ method, url: route.url, permission: route.config?.permission, isPublic: route.config?.isPublic ?? false });
    }
  });

  installErrorHandling(app);
  installTextGuard(app);
  await installSecurityHeaders(app, { inlineScriptPrefix: '/api/docs' });
  await app.register(fastifyCookie);
  installAuth(app, deps);
  installReferenceGuard(app, deps.db, referenceTables);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yuehui (悦会) API',
        version: options.version ?? '0.1.0',
        description:
          'Membership, loyalty and customer operations for clinics. Authenticate with the console session cookie (send `X-CSRF-Token` on writes) or `Authorization: Bearer <API key>`. Money is integer fen; writes that move value take an `Idempotency-Key` header. Errors: `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key created under Settings → API keys: yh.<tenant>.<key>.<secret>' },
          session: { type: 'apiKey', in: 'cookie', name: 'yh_sid' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalarReference, {
    routePrefix: '/api/docs',
    configuration: { url: '/api/openapi.json', withDefaultFonts: false, hideClientButton: true, telemetry: false },
  } as never);

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['System'],
        summary: 'Liveness, database kind and migration version',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.object({ kind: z.enum(['pglite', 'postgres']), migration: z.string().nullable(), applied: z.number(), pending: z.number() }),
          }),
        },
      },
    },
    async () => {
      const version = await migrationVersion(deps.db);
      return { status: 'ok' as const, database: { kind: deps.databaseKind, migration: version.version, applied: version.applied, pending: version.pending } };
    },
  );

  clinicLogoRoutes(app, deps);

  await app.register(
    async (api) => {
      for (const register of apiModules) register(api as unknown as App, deps);
      systemRoutes(api as unknown as App, deps, options.snapshots);
    },
    { prefix: '/api/v1' },
  );

  await app.register(
    async (portal) => {
      portalRoutes(portal as unknown as App, deps, wiring);
      cardPortalRoutes(portal as unknown as App, deps);
      orderPortalRoutes(portal as unknown as App, deps);
      visitPortalRoutes(portal as unknown as App, deps);
      receiptPortalRoutes(portal as unknown as App, deps);
      referralPortalRoutes(portal as unknown as App, deps);
      voucherPortalRoutes(portal as unknown as App, deps);
      voucherClaimPortalRoutes(portal as unknown as App, deps);
      messagingPortalRoutes(portal as unknown as App, deps);
    },
    { prefix: '/api/portal/v1' },
  );

  await app.register(async (callbacks) => smsCallbackRoutes(callbacks as unknown as App, deps), {
    prefix: '/api/callbacks',
  });

  serveWeb(app, options.webDistDir);
  return app;
};

/**
 * How long a browser keeps a served web file. Vite names the files under `assets/` by their
 * content's hash, so they never change: cached for a year without asking again. Everything else
 * (index.html, which names the current assets) is revalidated on every load.
 */
export const webCacheControl = (root: string, file: string): string =>
  path.relative(root, file).split(path.sep)[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';

/**
 * The console at `/` and the member portal at `/m/`, with single-page-app fallbacks. The build
 * writes brotli and gzip copies beside each asset (`scripts/precompress.ts`); `preCompressed`
 * sends the one the browser accepts, with `Content-Encoding` and `Vary: Accept-Encoding`.
 */
const serveWeb = (app: App, webDistDir: string | undefined) => {
  const consoleDir = webDistDir && path.join(webDistDir, 'console');
  const portalDir = webDistDir && path.join(webDistDir, 'portal');
  const hasConsole = Boolean(consoleDir && existsSync(path.join(consoleDir, 'index.html')));
  const hasPortal = Boolean(portalDir && existsSync(path.join(portalDir, 'index.html')));
  const servingOptions = (root: string) => ({
    root,
    wildcard: true,
    index: 'index.html',
    preCompressed: true,
    // Nothing under a dot folder (Vite's .vite/manifest.json) or a dot file is a web page's.
    allowedPath: (pathName: string) => !pathName.split('/').some((segment) => segment.startsWith('.')),
    setHeaders: (reply: FastifyReply, file: string) => {
      reply.header('cache-control', webCacheControl(root, file));
    },
  });
  if (hasConsole && consoleDir) app.register(fastifyStatic, { ...servingOptions(consoleDir), prefix: '/' });
  if (hasPortal && portalDir) app.register(fastifyStatic, { ...servingOptions(portalDir), prefix: '/m/', decorateReply: !hasConsole });

  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '/';
    const wantsPage = req.method === 'GET' && !pathname.startsWith('/api/') && !path.extname(pathname);
    if (wantsPage && (pathname === '/m' || pathname.startsWith('/m/')) && hasPortal && portalDir) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html', portalDir);
    }
    if (wantsPage && hasConsole && consoleDir) return reply.type('text/html; charset=utf-8').sendFile('index.html', consoleDir);
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${req.method} ${pathname}` } });
  });
};
