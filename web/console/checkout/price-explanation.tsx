import { Alert, Card, Divider, Flex, Spin, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Quote } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { type ExplanationRow, explanationRowsOf } from './quote-request';

type PriceExplanationProps = {
  quote: Quote | undefined;
  /** The quote answers the cart as it is now (not an older cart while the next answer is on its way). */
  isCurrent: boolean;
  /** There is something to price (a customer and valid lines). */
  hasRequest: boolean;
  /** The latest request failed (null when it did not). */
  error: unknown;
  isMemberPricing: boolean;
  onMemberPricingChange: (isMemberPricing: boolean) => void;
};

/** A deduction reads −¥200.00 (a real minus sign), anything else as the amount itself. */
const amountText = (row: Pick<ExplanationRow, 'amountFen' | 'isDeduction'>) => (row.isDeduction ? `−${formatYuan(row.amountFen)}` : formatYuan(row.amountFen));

const StepRow = ({ row }: { row: ExplanationRow }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const isTotal = row.kind === 'payable' || row.kind === 'due';
  return (
    <li style={{ listStyle: 'none' }} title={row.sentence}>
      <Flex justify="space-between" align="baseline" gap={8}>
        <Flex gap={6} align="baseline" wrap style={{ minWidth: 0 }}>
          <Typography.Text strong={isTotal} type={isTotal ? undefined : 'secondary'}>
            {row.kind ? t(`pricing.panel.steps.${row.kind}`) : row.sentence}
          </Typography.Text>
          {row.labels.map((label) => (
            <Tag key={label.text} color={row.kind === 'voucher' ? 'orange' : 'blue'} style={{ marginInlineEnd: 0 }}>
              {serverText.discountLabel(label.text, label.rateBp)}
            </Tag>
          ))}
        </Flex>
        <Typography.Text
          strong={isTotal}
          type={row.isDeduction ? 'success' : undefined}
          style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontSize: isTotal ? 18 : 14 }}
        >
          {amountText(row)}
        </Typography.Text>
      </Flex>
      {row.isDeduction && (
        <Flex justify="flex-end">
          <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            {t('pricing.panel.subtotal', { amount: formatYuan(row.subtotalFen) })}
          </Typography.Text>
        </Flex>
      )}
    </li>
  );
};

/**
 * 价格说明 at the desk (SPEC §8): how the list price became what the customer pays, step by step,
 * each line's sentence, and which card vouchers and cards applied or why they did not.
 */
/** Where an applied voucher came from, by its id: her wallet (券包), her tier's birthday benefit, or a card. */
const voucherSourceLabel = (voucherId: string) => {
  if (voucherId.startsWith('wallet:')) return 'vouchers.checkout.title' as const;
  if (voucherId.startsWith('birthday:')) return 'pricing.panel.birthdayVoucher' as const;
  return 'pricing.panel.voucher' as const;
};

export const PriceExplanation = ({ quote, isCurrent, hasRequest, error, isMemberPricing, onMemberPricingChange }: PriceExplanationProps) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const errorMessage = useErrorMessage();
  const title = t('pricing.panel.title');
  const rows = quote ? explanationRowsOf(quote) : [];
  const hasPoints = quote !== undefined && quote.totals.pointsFen > 0;

  const body = (() => {
    if (!hasRequest) return <Typography.Text type="secondary">{t('pricing.panel.empty')}</Typography.Text>;
    if (error) return <Alert type="error" showIcon title={errorMessage(error)} />;
    if (!quote) return <Spin size="small" />;
    return (
      <Flex vertical gap={8} style={{ opacity: isCurrent ? 1 : 0.5, transition: 'opacity 0.2s' }} aria-busy={!isCurrent}>
        <ol aria-label={t('pricing.panel.steps.title')} style={{ margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 6 }}>
          {rows.map((row, index) => (
            // Steps have no id of their own; their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <StepRow key={index} row={row} />
          ))}
        </ol>
        <Flex justify="space-between" align="baseline" data-testid="quote-order-total">
          <Typography.Text>{t('pricing.panel.orderTotal')}</Typography.Text>
          <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums' }}>
            {formatYuan(quote.orderTotalFen)}
          </Typography.Text>
        </Flex>
        {hasPoints && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('pricing.panel.pointsNote', { amount: formatYuan(quote.totals.pointsFen) })}
          </Typography.Text>
        )}
        {quote.points.requestedPoints > 0 && quote.points.message && (
          <Alert type={quote.points.limitedBy ? 'warning' : 'info'} showIcon title={serverText.pricingMessage(quote.points.message)} />
        )}
        {/* 转介绍: her first deal brings the referral reward, counted in the points she may use on it. */}
        {quote.referralReward && (
          <Alert type="success" showIcon title={serverText.pricingMessage(quote.referralReward.message)} data-testid="quote-referral-reward" />
        )}
        <Divider style={{ margin: '4px 0' }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('pricing.panel.lines')}
        </Typography.Text>
        <ul aria-label={t('pricing.panel.lines')} style={{ margin: 0, paddingInlineStart: 18 }}>
          {quote.lines.map((line) => (
            <li key={line.lineId}>
              <Typography.Text>{serverText.pricedLine(line)}</Typography.Text>
            </li>
          ))}
        </ul>
        {(quote.vouchers.applied.length > 0 || quote.cards.applied.length > 0) && (
          <Flex vertical gap={4} aria-label={t('pricing.panel.applied')} role="group">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('pricing.panel.applied')}
            </Typography.Text>
            {quote.cards.applied.map((card) => (
              <Typography.Text key={card.cardId}>
                <Tag color="blue">{card.holder === 'owner' ? t('pricing.panel.ownCard') : t('pricing.panel.familyCard')}</Tag>
                {t('pricing.panel.cardApplied', { name: card.name, amount: formatYuan(card.amountFen) })}
              </Typography.Text>
            ))}
            {quote.vouchers.applied.map((voucher) => (
              <Typography.Text key={voucher.voucherId}>
                <Tag color="orange">{t(voucherSourceLabel(voucher.voucherId))}</Tag>
                {voucher.name}
                {t('common.colon')}
                {serverText.voucherNote(voucher.message)}
              </Typography.Text>
            ))}
          </Flex>
        )}
        {[
          ...quote.cards.rejected.map((card) => ({ key: card.cardId, message: card.message })),
          ...quote.vouchers.rejected.map((voucher) => ({ key: voucher.voucherId, message: voucher.message })),
        ].map((rejected) => (
          <Alert key={rejected.key} type="warning" showIcon title={serverText.pricingMessage(rejected.message)} />
        ))}
      </Flex>
    );
  })();

  return (
    <section aria-label={title}>
      <Card
        title={
          <Flex gap={8} align="center">
            {title}
            {hasRequest && !isCurrent && !error && <Spin size="small" />}
          </Flex>
        }
        extra={
          <Flex gap={6} align="center">
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t('pricing.panel.memberPricing')}
            </Typography.Text>
            <Switch size="small" aria-label={t('pricing.panel.memberPricing')} checked={isMemberPricing} onChange={onMemberPricingChange} />
          </Flex>
        }
      >
        <Flex vertical gap={8}>
          {!isMemberPricing && <Alert type="info" showIcon title={t('pricing.panel.memberPricingOff')} />}
          {body}
        </Flex>
      </Card>
    </section>
  );
};
