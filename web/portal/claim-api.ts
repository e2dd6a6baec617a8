import { api, unwrap } from '../shared/api';
import type { paths } from '../shared/api-types';

export type ClaimOffer = paths['/api/portal/v1/claims/{code}']['get']['responses'][200]['content']['application/json'];
export type ClaimResult = paths['/api/portal/v1/claims/{code}']['post']['responses'][201]['content']['application/json'];

/** `/m/claim/<code>`: the claim code in the page's path, if this is a claim link. */
export const claimCodeOfPath = (pathname: string): string | undefined => /^\/m\/claim\/([a-z0-9]{6,20})\/?$/.exec(pathname)?.[1];

/** `/m/claims`: 领券中心. */
export const isClaimCentrePath = (pathname: string): boolean => /^\/m\/claims\/?$/.test(pathname);

/** The offer behind a link, before or after login (the clinic rides in the link). */
export const fetchClaimOffer = (code: string, clinic: string) =>
  unwrap(api.GET('/api/portal/v1/claims/{code}', { params: { path: { code }, query: { clinic } } }));

/** 立即领取: one key per intent, so a retried tap after a lost answer gets the first answer, not a second voucher. */
export const claimVoucher = (code: string, idempotencyKey: string) =>
  unwrap(api.POST('/api/portal/v1/claims/{code}', { params: { path: { code } }, body: {}, headers: { 'Idempotency-Key': idempotencyKey } }));

/** 领券中心: the clinic's open offers for the signed-in customer. */
export const fetchClaimCentre = () => unwrap(api.GET('/api/portal/v1/claims'));

const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
export const newClaimKey = () => `claim-${randomKey()}`;
