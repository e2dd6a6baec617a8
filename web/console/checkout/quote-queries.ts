import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { Quote, QuoteInput } from '../../shared/api-models';

/** Under `orders`, so anything that moves money (a sale, a card used elsewhere) prices the cart again. */
export const quoteKeys = {
  all: ['orders', 'quote'] as const,
  one: (request: QuoteInput | undefined) => ['orders', 'quote', request ?? null] as const,
};

/** The quote together with the request it answers, so the desk can tell whether it is still the cart's price. */
export type PricedQuote = { request: QuoteInput; quote: Quote };

export const quoteQuery = (request: QuoteInput | undefined) =>
  queryOptions({
    queryKey: quoteKeys.one(request),
    queryFn: async (): Promise<PricedQuote> => {
      if (!request) throw new Error('nothing to price');
      return { request, quote: await unwrap(api.POST('/api/v1/orders/quote', { body: request })) };
    },
    enabled: request !== undefined,
    // Prices may change at any time (a voucher used at another desk): never trust an old answer for long.
    staleTime: 10_000,
  });

/** 开单定价 preview; keeps the last answer on screen while the next one is on its way. */
export const useQuote = (request: QuoteInput | undefined) => useQuery({ ...quoteQuery(request), placeholderData: keepPreviousData });
