/** Only same-site paths: `next` comes from the address bar and must not send anyone elsewhere. */
export const safeNextPath = (next: string | null): string => (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/');

export const loginPathFor = (pathname: string, search: string): string => {
  const here = `${pathname}${search}`;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
};
