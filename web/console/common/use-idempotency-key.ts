import { useRef } from 'react';

/**
 * A random key. Not `crypto.randomUUID()`: browsers offer it only in secure contexts, and a
 * clinic may well open the console over plain http on its LAN; getRandomValues works there too.
 */
const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * An Idempotency-Key per distinct request body: pressing 保存 again after a lost response
 * resends the same key (the server answers with the first result instead of "phone taken"),
 * while a corrected form is a new request with a new key.
 */
export const useIdempotencyKey = () => {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (body: unknown): string => {
    const serialized = JSON.stringify(body);
    if (last.current?.body !== serialized) last.current = { body: serialized, key: randomKey() };
    return last.current.key;
  };
};
