import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { ZCategory, ZCategoryInput, ZItem, ZItemInput, ZItemListQuery, ZItemPatch } from './schemas.js';
import { createCategory, createItem, getItemRow, listCategories, listItems, toItemViews, updateItem } from './service.js';

const tags = ['Catalogue'];

export const catalogRoutes = (app: App, { db }: Deps) => {
  app.get(
    '/item-categories',
    {
      config: { permission: 'catalog.read' },
      schema: { tags, summary: 'Item categories', response: { 200: z.object({ items: z.array(ZCategory) }), ...errorResponses } },
    },
    async (req) => ({ items: await listCategories(db, authOf(req).tenantId) }),
  );

  app.post(
    '/item-categories',
    {
      config: { permission: 'catalog.manage' },
      schema: { tags, summary: 'Create an item category', body: ZCategoryInput, response: { 201: ZCategory, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send(await db.transaction((tx) => createCategory(tx, actorOf(req), req.body))),
  );

  app.get(
    '/items',
    {
      config: { permission: 'catalog.read' },
      schema: {
        tags,
        summary: 'Search the item catalogue (品项)',
        description: '`q` matches the short code, pinyin initials or full pinyin of the name, or part of the name.',
        querystring: ZItemListQuery,
        response: { 200: z.object({ items: z.array(ZItem), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => listItems(db, authOf(req).tenantId, req.query),
  );

  app.get(
    '/items/:id',
    { config: { permission: 'catalog.read' }, schema: { tags, summary: 'One item', params: ZIdParams, response: { 200: ZItem, ...errorResponses } } },
    async (req) => {
      const { tenantId } = authOf(req);
      const [view] = await toItemViews(db, tenantId, [await getItemRow(db, tenantId, req.params.id)]);
      return view;
    },
  );

  app.post(
    '/items',
    { config: { permission: 'catalog.manage' }, schema: { tags, summary: 'Create an item', body: ZItemInput, response: { 201: ZItem, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await db.transaction((tx) => createItem(tx, actorOf(req), req.body))),
  );

  app.patch(
    '/items/:id',
    {
      config: { permission: 'catalog.manage' },
      schema: {
        tags,
        summary: 'Change an item (prices apply to new orders only)',
        params: ZIdParams,
        body: ZItemPatch,
        response: { 200: ZItem, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => updateItem(tx, actorOf(req), req.params.id, req.body)),
  );
};
