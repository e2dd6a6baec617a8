import { ScanOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Input, type InputRef, Result, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { RequirePermission } from '../auth/require-permission';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone, useTenantToday } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { StoreSelect, useDefaultStoreId } from '../orders/store-select';
import { VoucherStatusTags } from './customer-vouchers-tab';
import { type CustomerVoucher, fetchVoucherByCode, useRedeemVoucherCode, type VoucherWithHolder } from './voucher-queries';
import { VoucherTitle } from './voucher-title';
import { VouchersTabs } from './vouchers-tabs';

/** What the desk may do with a voucher it looked up, and what to tell the customer. */
type Verdict = { kind: 'redeem'; message: string } | { kind: 'checkout'; message: string } | { kind: 'refused'; message: string };

const useVerdictOf = () => {
  const { t } = useTranslation();
  const timezone = useTenantTimezone();
  const today = useTenantToday();
  return (voucher: CustomerVoucher): Verdict => {
    switch (voucher.status) {
      case 'used':
        return {
          kind: 'refused',
          message: voucher.usedAt
            ? t('vouchers.desk.messages.used', { time: formatTenantTime(voucher.usedAt, timezone, 'YYYY-MM-DD HH:mm') })
            : t('vouchers.desk.messages.usedNoTime'),
        };
      case 'voided':
        return { kind: 'refused', message: t('vouchers.desk.messages.voided') };
      case 'expired':
        return { kind: 'refused', message: t('vouchers.desk.messages.expired', { date: voucher.validTo }) };
      case 'available':
        if (voucher.validFrom > today) return { kind: 'refused', message: t('vouchers.desk.messages.notYet', { date: voucher.validFrom }) };
        if (!voucher.snapshot.channels.includes('store')) return { kind: 'refused', message: t('vouchers.desk.messages.mallOnly') };
        if (voucher.snapshot.kind === 'cash_off' || voucher.snapshot.kind === 'discount') {
          return { kind: 'checkout', message: t('vouchers.desk.messages.atCheckout', { kind: t(`vouchers.kinds.${voucher.snapshot.kind}`) }) };
        }
        return { kind: 'redeem', message: t('vouchers.desk.messages.usable') };
    }
  };
};

const digitsOf = (text: string) => text.replace(/\D/g, '');

const Desk = () => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const navigate = useNavigate();
  const me = useCurrentMe();
  const today = useTenantToday();
  const verdictOf = useVerdictOf();
  const defaultStoreId = useDefaultStoreId();
  const [storeId, setStoreId] = useState(defaultStoreId);
  const [code, setCode] = useState('');
  const [found, setFound] = useState<VoucherWithHolder | null>(null);
  const [redeemed, setRedeemed] = useState<VoucherWithHolder | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isLooking, setLooking] = useState(false);
  // Each lookup is one redemption attempt: a double click replays it instead of reading "already used".
  const [round, setRound] = useState(0);
  const keyFor = useIdempotencyKey();
  const redeem = useRedeemVoucherCode();
  const codeInput = useRef<InputRef>(null);

  const lookUp = async () => {
    const digits = digitsOf(code);
    setRedeemed(null);
    setFound(null);
    if (digits.length !== 12) {
      setProblem(t('vouchers.desk.codeInvalid'));
      return;
    }
    setProblem(null);
    setLooking(true);
    try {
      setFound(await fetchVoucherByCode(digits));
      setRound((current) => current + 1);
    } catch (error) {
      setProblem(errorMessage(error));
      codeInput.current?.select();
    } finally {
      setLooking(false);
    }
  };

  const confirm = async () => {
    if (!found || !storeId || redeem.isPending) return;
    setProblem(null);
    try {
      const result = await redeem.mutateAsync({ code: found.voucher.code, storeId, idempotencyKey: keyFor({ code: found.voucher.code, storeId, round }) });
      setRedeemed(result);
      setFound(null);
      setCode('');
      void message.success(t('vouchers.desk.redeemed', { title: result.voucher.snapshot.name }));
      codeInput.current?.focus();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const verdict = found ? verdictOf(found.voucher) : undefined;

  return (
    <Flex vertical gap="middle" style={{ maxWidth: 880 }}>
      <Card>
        <Flex vertical gap="small">
          <Flex gap="small" wrap align="center">
            <Input
              ref={codeInput}
              autoFocus
              size="large"
              prefix={<ScanOutlined />}
              aria-label={t('vouchers.desk.code')}
              placeholder={t('vouchers.desk.codePlaceholder')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={20}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              onPressEnter={() => void lookUp()}
              style={{ flex: '1 1 320px', fontSize: 22, letterSpacing: 2, fontVariantNumeric: 'tabular-nums' }}
            />
            <Button size="large" type="primary" loading={isLooking} onClick={() => void lookUp()}>
              {t('vouchers.desk.lookup')}
            </Button>
          </Flex>
          {me.stores.length > 1 && (
            <Flex gap="small" align="center">
              <Typography.Text type="secondary">{t('vouchers.desk.store')}</Typography.Text>
              <StoreSelect aria-label={t('vouchers.desk.store')} value={storeId} onChange={setStoreId} />
            </Flex>
          )}
          {problem && <Alert type="error" showIcon role="alert" title={problem} />}
        </Flex>
      </Card>

      {redeemed && (
        <Card>
          <Result
            status="success"
            title={t('vouchers.desk.redeemed', { title: serverText.voucherTitle(redeemed.voucher.snapshot.title) })}
            subTitle={`${redeemed.customer.name}${redeemed.customer.phone ? `（${redeemed.customer.phone}）` : ''} · ${t('vouchers.desk.redeemedHint')}`}
            style={{ padding: 16 }}
          />
        </Card>
      )}

      {found && verdict && (
        <Card
          title={
            <Flex gap={8} align="center" wrap>
              <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'normal' }}>
                <VoucherTitle title={found.voucher.snapshot.title} />
              </Typography.Text>
            </Flex>
          }
          role="region"
          aria-label={t('vouchers.desk.title')}
        >
          <Flex vertical gap="middle">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('vouchers.desk.holder')}>
                <Space>
                  <Link to={`/customers/${found.customer.id}?tab=vouchers`}>{found.customer.name}</Link>
                  {found.customer.phone && <Typography.Text type="secondary">{found.customer.phone}</Typography.Text>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('vouchers.desk.kind')}>
                <Tag color="orange">{t(`vouchers.kinds.${found.voucher.snapshot.kind}`)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('vouchers.desk.status')}>
                <VoucherStatusTags voucher={found.voucher} today={today} />
              </Descriptions.Item>
              <Descriptions.Item label={t('vouchers.desk.validity')}>
                {t('vouchers.wallet.validity', { from: found.voucher.validFrom, to: found.voucher.validTo })}
              </Descriptions.Item>
              <Descriptions.Item label={t('vouchers.desk.source')}>{t(`vouchers.sources.${found.voucher.source}`)}</Descriptions.Item>
              <Descriptions.Item label={t('vouchers.desk.code')}>
                <Typography.Text style={{ fontFamily: 'monospace' }}>{found.voucher.code}</Typography.Text>
              </Descriptions.Item>
              {found.voucher.snapshot.description && (
                <Descriptions.Item label={t('vouchers.desk.description')} span={2}>
                  {found.voucher.snapshot.description}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Alert
              type={verdict.kind === 'refused' ? 'error' : verdict.kind === 'checkout' ? 'info' : 'success'}
              showIcon
              role={verdict.kind === 'refused' ? 'alert' : 'status'}
              title={verdict.message}
            />
            <Flex gap="middle" wrap align="center">
              {verdict.kind === 'redeem' && (
                <Button type="primary" size="large" loading={redeem.isPending} disabled={!storeId} onClick={() => void confirm()}>
                  {t('vouchers.desk.redeem')}
                </Button>
              )}
              {verdict.kind === 'checkout' && (
                <Button type="primary" size="large" onClick={() => navigate(`/checkout?customerId=${found.customer.id}&voucherId=${found.voucher.id}`)}>
                  {t('vouchers.desk.openCheckout')}
                </Button>
              )}
              {found.voucher.usedOrderId && <Link to={`/orders/${found.voucher.usedOrderId}`}>{t('vouchers.desk.viewOrder')}</Link>}
              <Link to={`/customers/${found.customer.id}?tab=vouchers`}>{t('vouchers.desk.viewCustomer')}</Link>
            </Flex>
          </Flex>
        </Card>
      )}
    </Flex>
  );
};

/** 核销台: scan or type a voucher's 12-digit code, see whose it is and whether it can be used, and redeem it. */
export const VoucherDeskPage = () => {
  const { t } = useTranslation();
  return (
    <Flex vertical gap="middle">
      <VouchersTabs intro={t('vouchers.desk.intro')} />
      <RequirePermission permission="vouchers.redeem">
        <Desk />
      </RequirePermission>
    </Flex>
  );
};
