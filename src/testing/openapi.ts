import type { App } from '../platform/http.js';

/** Just enough of JSON Schema to walk request schemas. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
};

type Parameter = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema };

/** One operation of the app's OpenAPI document, with the path in Fastify's form (`/customers/:id`). */
export type Operation = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the document spells it: `/api/v1/customers/{id}`. */
  path: string;
  route: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | undefined;
};

type Document = {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Every operation of `GET /api/openapi.json`, and a resolver for its `$ref`s. */
export const openApiOperations = async (app: App) => {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const document = response.json() as Document;
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target);
  };
  const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      route: path.replace(/\{(\w+)\}/g, ':$1'),
      pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path'),
      queryParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query'),
      body: operation.requestBody?.content['application/json']?.schema,
    })),
  );
  return { operations, resolve };
};

const typesOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

/**
 * A value shaped like `schema` with `leaf(path, schema)` at every string it can hold (all the
 * options of a union merged, one item per array), and the paths of those strings.
 */
export const stringsLike = (
  schema: JsonSchema,
  resolve: (schema: JsonSchema) => JsonSchema,
  leaf: (path: string, schema: JsonSchema) => unknown,
  path = 'body',
  depth = 0,
): { value: unknown; paths: string[] } => {
  const resolved = resolve(schema);
  const options = [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.allOf ?? [])].map(resolve);
  const types = [...typesOf(resolved), ...options.flatMap(typesOf)];
  if (depth > 6) return { value: undefined, paths: [] };
  const properties = { ...resolved.properties, ...Object.assign({}, ...options.map((option) => option.properties ?? {})) } as Record<string, JsonSchema>;
  if (Object.keys(properties).length > 0 || types.includes('object')) {
    const value: Record<string, unknown> = {};
    const paths: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      const inner = stringsLike(property, resolve, leaf, `${path}.${name}`, depth + 1);
      if (inner.value === undefined) continue;
      value[name] = inner.value;
      paths.push(...inner.paths);
    }
    return { value, paths };
  }
  const items = resolved.items ?? options.find((option) => option.items)?.items;
  if (items) {
    const inner = stringsLike(items, resolve, leaf, `${path}.0`, depth + 1);
    return inner.value === undefined ? { value: undefined, paths: [] } : { value: [inner.value], paths: inner.paths };
  }
  if (types.includes('string')) return { value: leaf(path, resolved), paths: [path] };
  return { value: undefined, paths: [] };
};
