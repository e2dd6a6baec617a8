/**
 * A flow's per-transaction context: what one checkout (or refund, …) reads once and every step
 * after it reuses — the tenant's settings, reference rows that do not change inside the
 * transaction. A flow opens it right after BEGIN; module reads consult it by the transaction
 * they run on, so module signatures stay `(tx, ctx, input)`. Outside a flow nothing is cached:
 * every read goes to the database as before.
 */
type Scope = { values: Map<string, unknown> };

const scopes = new WeakMap<object, Scope>();

export const openTxScope = (tx: object): void => {
  if (!scopes.has(tx)) scopes.set(tx, { values: new Map() });
};

export const hasTxScope = (tx: object): boolean => scopes.has(tx);

/** The value under `key` in this transaction's scope, loading it once; no scope: just loads. */
export const scoped = async <T>(tx: object, key: string, load: () => Promise<T>): Promise<T> => {
  const scope = scopes.get(tx);
  if (!scope) return load();
  if (scope.values.has(key)) return scope.values.get(key) as T;
  const value = await load();
  scope.values.set(key, value);
  return value;
};

/** Puts a value in the scope (a batch read that answers many keys at once). */
export const putScoped = (tx: object, key: string, value: unknown): void => {
  scopes.get(tx)?.values.set(key, value);
};

/** Drops a value a write in the same transaction has made stale. */
export const forgetScoped = (tx: object, key: string): void => {
  scopes.get(tx)?.values.delete(key);
};
