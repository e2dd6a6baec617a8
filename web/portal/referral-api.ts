import { api, setCsrfToken, unwrap } from '../shared/api';
import type { paths } from '../shared/api-types';

type Json<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type MyReferral = Json<paths['/api/portal/v1/referral']['get']['responses'][200]>;
export type Invite = Json<paths['/api/portal/v1/referral/invite']['get']['responses'][200]>;
export type Registration = Json<paths['/api/portal/v1/auth/register']['post']['responses'][200]>;

export const posterUrl = '/api/portal/v1/referral/poster.png';

/** The invite code in the link a friend shared (`?ref=`), if any. */
export const referralCodeOfUrl = (): string | undefined => new URLSearchParams(window.location.search).get('ref')?.trim().toUpperCase() || undefined;

export const fetchMyReferral = (): Promise<MyReferral> => unwrap(api.GET('/api/portal/v1/referral'));

export const fetchInvite = (clinic: string, code: string): Promise<Invite> =>
  unwrap(api.GET('/api/portal/v1/referral/invite', { params: { query: { clinic, code } } }));

export const registerMember = async (input: {
  tenantCode: string;
  phone: string;
  code: string;
  name: string;
  gender: 'female' | 'male' | 'unknown';
  referralCode?: string | undefined;
}): Promise<Registration> => {
  const session = await unwrap(
    api.POST('/api/portal/v1/auth/register', {
      body: { ...input, ...(input.referralCode ? { referralCode: input.referralCode } : {}), hasAcceptedTerms: true },
    }),
  );
  setCsrfToken(session.csrfToken);
  return session;
};
