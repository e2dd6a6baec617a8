import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { ReversalReasonCode } from '../../shared/api-models';

const codeSet = {
  wrong_item: true,
  wrong_amount: true,
  wrong_customer: true,
  duplicate: true,
  customer_request: true,
  treatment_issue: true,
  other: true,
} satisfies Record<ReversalReasonCode, true>;

export const isReversalReasonCode = (value: unknown): value is ReversalReasonCode => typeof value === 'string' && value in codeSet;

/** Reason codes for 撤销 and 退款, with the clinic's labels; reported by code. */
export const useReversalReasons = () =>
  useQuery({
    queryKey: ['settings', 'reversal-reasons'],
    queryFn: () => unwrap(api.GET('/api/v1/settings/reversal-reasons')),
    staleTime: 30 * 60_000,
  });

export const useReversalReasonOptions = () => {
  const reasons = useReversalReasons();
  const options = (reasons.data?.items ?? []).flatMap((reason) => (isReversalReasonCode(reason.code) ? [{ value: reason.code, label: reason.label }] : []));
  return { options, isPending: reasons.isPending };
};

/** The label of a reason code as reported (shift close, payment rows); the code itself if unknown. */
export const useReversalReasonLabel = () => {
  const reasons = useReversalReasons();
  return (code: string | null): string => reasons.data?.items.find((reason) => reason.code === code)?.label ?? code ?? '';
};
