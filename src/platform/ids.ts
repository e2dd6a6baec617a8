import { v7 } from 'uuid';

/** Time-ordered UUIDv7: safe to generate on any instance, and index-friendly. */
export const newId = (): string => v7();

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
