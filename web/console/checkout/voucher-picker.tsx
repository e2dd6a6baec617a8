import { Button, Checkbox, Flex, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, Quote } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { tenantToday, useTenantTimezone } from '../common/tenant-time';
import { fetchVoucherByCode, useCustomerVouchers } from '../vouchers/voucher-queries';
import { VoucherTitle } from '../vouchers/voucher-title';
import { walletVoucherOutcome } from './quote-request';

/** The most wallet vouchers one order takes (the API's limit). */
export const maxVouchersPerOrder = 10;

type VoucherPickerProps = {
  customer: Customer;
  chosen: readonly string[];
  onChange: (voucherIds: string[]) => void;
  /** The quote for the cart as it is now, if it has arrived: what each chosen voucher took off, or why it did not apply. */
  quote: Quote | undefined;
};

/**
 * 券包 at the desk: her usable vouchers as checkboxes, and a box for a code she shows on her
 * phone. Chosen ids go into the quote and the order; the quote says what each one took off.
 */
export const VoucherPicker = ({ customer, chosen, onChange, quote }: VoucherPickerProps) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const errorMessage = useErrorMessage();
  const today = tenantToday(useTenantTimezone());
  const canRead = useCan('vouchers.read');
  const canLookUpCodes = useCan('vouchers.redeem');
  const wallet = useCustomerVouchers(customer.id, 'available', { enabled: canRead });
  const [code, setCode] = useState('');
  const [codeNote, setCodeNote] = useState<{ type: 'success' | 'danger'; text: string } | null>(null);
  const [isLooking, setLooking] = useState(false);
  if (!canRead) return null;
  const vouchers = wallet.data?.items ?? [];

  const toggle = (id: string, isChosen: boolean) => {
    setCodeNote(null);
    if (isChosen && chosen.length >= maxVouchersPerOrder) {
      setCodeNote({ type: 'danger', text: t('vouchers.checkout.maxChosen') });
      return;
    }
    onChange(isChosen ? [...chosen, id] : chosen.filter((candidate) => candidate !== id));
  };

  const addByCode = async () => {
    const digits = code.replace(/\D/g, '');
    if (digits.length !== 12) {
      setCodeNote({ type: 'danger', text: t('vouchers.checkout.codeInvalid') });
      return;
    }
    setLooking(true);
    try {
      const { voucher, customer: holder } = await fetchVoucherByCode(digits);
      if (holder.id !== customer.id) setCodeNote({ type: 'danger', text: t('vouchers.checkout.notHers', { name: holder.name }) });
      else if (voucher.status !== 'available')
        setCodeNote({ type: 'danger', text: `${serverText.voucherTitle(voucher.snapshot.title)}：${t(`vouchers.status.${voucher.status}`)}` });
      else if (chosen.includes(voucher.id)) setCodeNote({ type: 'success', text: t('vouchers.checkout.alreadyChosen') });
      else if (chosen.length >= maxVouchersPerOrder) setCodeNote({ type: 'danger', text: t('vouchers.checkout.maxChosen') });
      else {
        onChange([...chosen, voucher.id]);
        setCode('');
        setCodeNote({ type: 'success', text: t('vouchers.checkout.codeAdded', { title: voucher.snapshot.name }) });
      }
    } catch (error) {
      setCodeNote({ type: 'danger', text: errorMessage(error) });
    } finally {
      setLooking(false);
    }
  };

  return (
    <section aria-label={t('vouchers.checkout.title')}>
      <Flex vertical gap={8}>
        <Flex justify="space-between" align="center" wrap gap="small">
          <Space size={8}>
            <Typography.Text strong>{t('vouchers.checkout.title')}</Typography.Text>
            <Typography.Text type="secondary">
              {vouchers.length > 0 ? t('vouchers.checkout.count', { count: vouchers.length }) : wallet.isPending ? '' : t('vouchers.checkout.empty')}
            </Typography.Text>
          </Space>
          {canLookUpCodes && (
            <Space.Compact>
              <Input
                aria-label={t('vouchers.checkout.code')}
                placeholder={t('vouchers.checkout.codePlaceholder')}
                inputMode="numeric"
                autoComplete="off"
                maxLength={20}
                value={code}
                onChange={(event) => setCode(event.target.value)}
                onPressEnter={() => void addByCode()}
                style={{ width: 180 }}
              />
              <Button loading={isLooking} onClick={() => void addByCode()}>
                {t('vouchers.checkout.codeAdd')}
              </Button>
            </Space.Compact>
          )}
        </Flex>
        {vouchers.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('vouchers.checkout.hint')}
          </Typography.Text>
        )}
        {codeNote && (
          <Typography.Text type={codeNote.type} role={codeNote.type === 'danger' ? 'alert' : 'status'}>
            {codeNote.text}
          </Typography.Text>
        )}
        <Flex vertical gap={6}>
          {vouchers.map((voucher) => {
            const isChosen = chosen.includes(voucher.id);
            const notYet = voucher.validFrom > today;
            const isMallOnly = !voucher.snapshot.channels.includes('store');
            const outcome = isChosen && quote ? walletVoucherOutcome(quote, voucher.id) : undefined;
            return (
              <Flex
                key={voucher.id}
                gap={8}
                align="flex-start"
                // The whole row ticks the voucher, not only its small box (the box handles its own clicks).
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('.ant-checkbox-wrapper, button, a')) return;
                  if (!isChosen && (notYet || isMallOnly)) return;
                  toggle(voucher.id, !isChosen);
                }}
                style={{
                  border: `1px solid ${isChosen ? '#ffa940' : '#f0f0f0'}`,
                  background: isChosen ? '#fff7e6' : undefined,
                  borderRadius: 8,
                  padding: '6px 10px',
                  cursor: !isChosen && (notYet || isMallOnly) ? 'not-allowed' : 'pointer',
                }}
              >
                <Checkbox
                  aria-label={t('vouchers.checkout.choose', { title: serverText.voucherTitle(voucher.snapshot.title) })}
                  checked={isChosen}
                  disabled={!isChosen && (notYet || isMallOnly)}
                  onChange={(event) => toggle(voucher.id, event.target.checked)}
                  style={{ marginTop: 2 }}
                />
                <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
                  <Typography.Text>
                    <VoucherTitle title={voucher.snapshot.title} />
                  </Typography.Text>
                  <Flex gap={4} wrap align="center">
                    {voucher.isExpiringSoon && (
                      <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                        {t('vouchers.expiringSoon')}
                      </Tag>
                    )}
                    {notYet && (
                      <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                        {t('vouchers.notYetValid', { date: voucher.validFrom })}
                      </Tag>
                    )}
                    {isMallOnly && <Tag style={{ marginInlineEnd: 0 }}>{t('vouchers.mallOnly')}</Tag>}
                    {outcome?.applied && (
                      <Typography.Text type="success" strong>
                        {t('vouchers.checkout.applied', { amount: formatYuan(outcome.applied.amountFen) })}
                      </Typography.Text>
                    )}
                    {outcome?.rejected && (
                      <Typography.Text type="danger" role="alert">
                        {serverText.pricingMessage(outcome.rejected.message)}
                      </Typography.Text>
                    )}
                  </Flex>
                </Flex>
              </Flex>
            );
          })}
        </Flex>
      </Flex>
    </section>
  );
};
