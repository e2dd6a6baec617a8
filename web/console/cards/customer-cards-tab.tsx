import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, Modal, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer, ReversalReasonCode } from '../../shared/api-models';
import { formatYuan, parseYuan } from '../../shared/money';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission } from '../auth/permissions';
import { useErrorMessage } from '../common/error-message';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { CustomerSearchSelect } from '../customers/customer-search-select';
import { useOrder } from '../orders/order-queries';
import { netPaidByMethod } from '../orders/refund-math';
import { useDefaultStoreId } from '../orders/store-select';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { useReversalReasonOptions } from '../payments/reversal-reasons';
import { useCardDetails } from './card-products-page';
import {
  type CustomerCard,
  type StoredValueOverview,
  useAddCardMember,
  useCardProducts,
  useCustomerCards,
  useRefundTopUp,
  useRemoveCardMember,
  useSell,
  useStoredValue,
} from './cards-queries';

type MoneyMethod = 'cash' | 'wechat' | 'alipay' | 'bank_card';
type SellValues = { cardProductId: string; amount?: string; method: MoneyMethod };
type TopUp = StoredValueOverview['topUps'][number];
const moneyMethods = ['wechat', 'alipay', 'cash', 'bank_card'] as const satisfies readonly MoneyMethod[];
const isMoneyMethod = (method: string): method is MoneyMethod => moneyMethods.some((candidate) => candidate === method);

/** Only a top-up sold through an order, not yet refunded, with principal left can be refunded (a refund restore is not). */
const isRefundable = (topUp: TopUp) => topUp.kind === 'top_up' && topUp.orderId !== null && topUp.refundedAt === null && topUp.refundableFen > 0;

/** 充值 / 售卡 at the desk: pick the product and how she pays; one order, checked out at once. */
const SellModal = ({ customerId, what, open, onClose }: { customerId: string; what: 'top-up' | 'card'; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const methodLabel = usePaymentMethodLabel();
  const storeId = useDefaultStoreId();
  const [form] = Form.useForm<SellValues>();
  const products = useCardProducts();
  const sell = useSell(customerId, what);
  const keyFor = useIdempotencyKey();
  const kind = what === 'top-up' ? 'stored_value' : 'membership';
  const options = (products.data?.items ?? []).filter((product) => product.kind === kind);
  const submit = async (values: SellValues) => {
    const product = options.find((option) => option.id === values.cardProductId);
    if (!product || !storeId) return;
    const amountFen = what === 'top-up' && values.amount ? parseYuan(values.amount) : undefined;
    const input = {
      storeId,
      cardProductId: product.id,
      ...(amountFen !== undefined && amountFen !== product.priceFen ? { amountFen } : {}),
      payments: [{ method: values.method, amountFen: amountFen ?? product.priceFen }],
    };
    try {
      const result = await sell.mutateAsync({ input, idempotencyKey: keyFor({ customerId, input }) });
      void message.success(
        what === 'top-up'
          ? t('cards.storedValue.done', { balance: formatYuan(result.balance.balanceFen) })
          : t('cards.customerCards.done', { name: product.name }),
      );
      form.resetFields();
      onClose();
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
  return (
    <Modal
      title={what === 'top-up' ? t('cards.storedValue.topUpTitle') : t('cards.customerCards.sellTitle')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={what === 'top-up' ? t('cards.storedValue.topUp') : t('cards.customerCards.sell')}
      confirmLoading={sell.isPending}
      destroyOnHidden
    >
      <Form<SellValues> form={form} name={`sell-${what}`} layout="vertical" initialValues={{ method: 'wechat' }} onFinish={(values) => void submit(values)}>
        <Form.Item
          name="cardProductId"
          label={what === 'top-up' ? t('cards.storedValue.product') : t('cards.customerCards.product')}
          rules={[{ required: true, message: t('cards.form.required') }]}
        >
          <Select
            options={options.map((product) => ({
              value: product.id,
              label: `${product.name}（${formatYuan(product.priceFen)}${product.bonusFen > 0 ? ` + ${formatYuan(product.bonusFen)}` : ''}）`,
            }))}
          />
        </Form.Item>
        {what === 'top-up' && (
          <Form.Item name="amount" label={t('cards.storedValue.amount')}>
            <Input inputMode="decimal" />
          </Form.Item>
        )}
        <Form.Item name="method" label={t('cards.storedValue.method')}>
          <Select options={moneyMethods.map((method) => ({ value: method, label: methodLabel(method) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
};

/**
 * 储值退款: the contract's formula, the principal paid back and the bonus voided (赠送金额不退),
 * paid back by the method she paid with where the order shows it.
 */
const RefundTopUpModal = ({ topUp, onClose }: { topUp: TopUp; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const methodLabel = usePaymentMethodLabel();
  const reasons = useReversalReasonOptions();
  const refund = useRefundTopUp();
  const keyFor = useIdempotencyKey();
  const order = useOrder(topUp.orderId ?? undefined);
  // 原路退回: the method that paid most of the top-up's order; cash when the order does not say.
  const originalMethod = order.data
    ? netPaidByMethod(order.data)
        .filter((entry) => isMoneyMethod(entry.method))
        .sort((left, right) => right.amountFen - left.amountFen)[0]?.method
    : undefined;
  const [chosenMethod, setMethod] = useState<MoneyMethod | undefined>();
  const method = chosenMethod ?? (originalMethod && isMoneyMethod(originalMethod) ? originalMethod : 'cash');
  const [reasonCode, setReasonCode] = useState<ReversalReasonCode | undefined>();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const formula = typeof topUp.contract.refundFormula === 'string' ? topUp.contract.refundFormula : t('cards.refund.formula');
  const productName = typeof topUp.contract.productName === 'string' ? topUp.contract.productName : '';

  const submit = async () => {
    if (refund.isPending) return;
    if (!reasonCode) return setProblem(t('cards.refund.reasonRequired'));
    setProblem(null);
    const trimmedNote = note.trim();
    const input = { payouts: [{ method, amountFen: topUp.refundableFen }], reasonCode, ...(trimmedNote ? { note: trimmedNote } : {}) };
    try {
      const result = await refund.mutateAsync({ topUpId: topUp.id, input, idempotencyKey: keyFor({ topUpId: topUp.id, input }) });
      void message.success(t('cards.refund.done', { amount: formatYuan(topUp.refundableFen), balance: formatYuan(result.balance.balanceFen) }));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('cards.refund.title')}
      okText={t('cards.refund.submit')}
      okButtonProps={{ danger: true, loading: refund.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Alert type="info" showIcon title={t('cards.refund.formulaTitle')} description={formula} />
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('cards.refund.topUp')}>
            {dayjs(topUp.createdAt).format('YYYY-MM-DD')} {productName} {formatYuan(topUp.principalFen)}
            {topUp.bonusFen > 0 ? ` + ${formatYuan(topUp.bonusFen)}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('cards.refund.principalSpent')}>{formatYuan(topUp.principalFen - topUp.principalRemainingFen)}</Descriptions.Item>
          <Descriptions.Item label={t('cards.refund.paidBack')}>
            <Typography.Text strong>{formatYuan(topUp.refundableFen)}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('cards.refund.bonusVoided')}>{formatYuan(topUp.bonusRemainingFen)}</Descriptions.Item>
        </Descriptions>
        <Flex vertical gap={4}>
          <Typography.Text>{t('cards.refund.method')}</Typography.Text>
          <Select<MoneyMethod>
            aria-label={t('cards.refund.method')}
            value={method}
            onChange={setMethod}
            options={moneyMethods.map((value) => ({
              value,
              label: value === originalMethod ? t('cards.refund.originalMethod', { method: methodLabel(value) }) : methodLabel(value),
            }))}
          />
        </Flex>
        <Select<ReversalReasonCode>
          aria-label={t('cards.refund.reason')}
          placeholder={t('cards.refund.reason')}
          options={reasons.options}
          loading={reasons.isPending}
          value={reasonCode}
          onChange={setReasonCode}
        />
        <Input.TextArea
          aria-label={t('cards.refund.note')}
          placeholder={t('cards.refund.notePlaceholder')}
          autoSize={{ minRows: 2, maxRows: 4 }}
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        {problem && <Alert type="error" showIcon role="alert" title={problem} />}
      </Flex>
    </Modal>
  );
};

const StoredValueCard = ({ customerId, canTopUp, canRefund }: { customerId: string; canTopUp: boolean; canRefund: boolean }) => {
  const { t } = useTranslation();
  const overview = useStoredValue(customerId);
  const [isTopUpOpen, setTopUpOpen] = useState(false);
  const [refunding, setRefunding] = useState<TopUp | null>(null);
  const data = overview.data;
  return (
    <Card
      title={t('cards.storedValue.title')}
      loading={overview.isLoading}
      extra={
        canTopUp && (
          <Button type="primary" onClick={() => setTopUpOpen(true)}>
            {t('cards.storedValue.topUp')}
          </Button>
        )
      }
    >
      {data && (
        <Flex vertical gap={16}>
          <Space size={48} wrap>
            <Statistic title={t('cards.storedValue.balance')} value={formatYuan(data.balanceFen)} />
            <Statistic title={t('cards.storedValue.principal')} value={formatYuan(data.principalFen)} />
            <Statistic title={t('cards.storedValue.bonus')} value={formatYuan(data.bonusFen)} />
          </Space>
          {data.topUps.length > 0 && (
            <Space wrap>
              {data.topUps.map((topUp) => {
                const date = dayjs(topUp.createdAt).format('YYYY-MM-DD');
                return (
                  <Space.Compact key={topUp.id}>
                    <Tag color={topUp.refundedAt ? 'default' : 'blue'} style={{ marginInlineEnd: 0, display: 'flex', alignItems: 'center' }}>
                      {date} {formatYuan(topUp.principalFen)}
                      {topUp.bonusFen > 0 ? ` + ${formatYuan(topUp.bonusFen)}` : ''} ·{' '}
                      {topUp.refundedAt ? t('cards.storedValue.refunded') : t('cards.storedValue.refundable', { amount: formatYuan(topUp.refundableFen) })}
                    </Tag>
                    {canRefund && isRefundable(topUp) && (
                      <Button
                        size="small"
                        danger
                        aria-label={t('cards.refund.actionLabel', { date, amount: formatYuan(topUp.principalFen) })}
                        onClick={() => setRefunding(topUp)}
                      >
                        {t('cards.refund.action')}
                      </Button>
                    )}
                  </Space.Compact>
                );
              })}
            </Space>
          )}
          <StoredValueLedger entries={data.entries} />
        </Flex>
      )}
      <SellModal customerId={customerId} what="top-up" open={isTopUpOpen} onClose={() => setTopUpOpen(false)} />
      {refunding && <RefundTopUpModal key={refunding.id} topUp={refunding} onClose={() => setRefunding(null)} />}
    </Card>
  );
};

const StoredValueLedger = ({ entries }: { entries: StoredValueOverview['entries'] }) => {
  const { t } = useTranslation();
  if (entries.length === 0) return <Empty description={t('cards.storedValue.empty')} />;
  const signed = (fen: number) => (fen > 0 ? `+${formatYuan(fen)}` : formatYuan(fen));
  return (
    <Table
      rowKey="id"
      size="small"
      aria-label={t('cards.storedValue.ledger')}
      dataSource={entries}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      columns={[
        { title: t('cards.storedValue.columns.time'), dataIndex: 'createdAt', render: (value: string) => dayjs(value).format('YYYY-MM-DD HH:mm') },
        {
          title: t('cards.storedValue.columns.type'),
          dataIndex: 'type',
          render: (type: StoredValueOverview['entries'][number]['type']) => t(`cards.storedValue.types.${type}`),
        },
        { title: t('cards.storedValue.columns.principal'), dataIndex: 'principalFen', render: signed },
        { title: t('cards.storedValue.columns.bonus'), dataIndex: 'bonusFen', render: signed },
        { title: t('cards.storedValue.columns.balanceAfter'), dataIndex: 'balanceAfterFen', render: (fen: number) => formatYuan(fen) },
        {
          title: t('cards.storedValue.columns.order'),
          key: 'order',
          render: (_, entry) =>
            entry.sourceType === 'order' && entry.sourceId ? <Link to={`/orders/${entry.sourceId}`}>{entry.orderNumber ?? ''}</Link> : null,
        },
      ]}
    />
  );
};

const CardMembers = ({ customerId, card, canSell }: { customerId: string; card: CustomerCard; canSell: boolean }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const add = useAddCardMember(customerId);
  const remove = useRemoveCardMember(customerId);
  const [memberId, setMemberId] = useState<string | undefined>();
  const [relation, setRelation] = useState('');
  const active = card.members.filter((member) => !member.removedAt);
  const canEdit = canSell && card.isOwner && card.isValid;
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{t('cards.customerCards.members', { count: active.length + 1, limit: card.familyLimit })}</Typography.Text>
      <Space wrap>
        <Tag color="gold">{card.ownerName}</Tag>
        {active.map((member) => (
          <Tag
            key={member.id}
            closable={canEdit}
            onClose={(event) => {
              event.preventDefault();
              remove.mutate({ cardId: card.id, memberId: member.customerId }, { onError: (error) => void message.error(errorMessage(error)) });
            }}
          >
            {member.name}
            {member.relation ? `（${member.relation}）` : ''}
          </Tag>
        ))}
      </Space>
      {canEdit && (
        <Space wrap>
          <CustomerSearchSelect
            aria-label={t('cards.customerCards.member')}
            placeholder={t('cards.customerCards.addMember')}
            value={memberId}
            onChange={setMemberId}
            excludeIds={[card.ownerId, ...active.map((member) => member.customerId)]}
            style={{ width: 260 }}
          />
          <Input
            aria-label={t('cards.customerCards.relation')}
            placeholder={t('cards.customerCards.relation')}
            value={relation}
            onChange={(event) => setRelation(event.target.value)}
            style={{ width: 100 }}
            maxLength={10}
          />
          <Button
            disabled={!memberId}
            loading={add.isPending}
            onClick={() =>
              memberId &&
              add.mutate(
                { cardId: card.id, memberId, relation: relation.trim() || null },
                {
                  onSuccess: () => {
                    setMemberId(undefined);
                    setRelation('');
                  },
                  onError: (error) => void message.error(errorMessage(error)),
                },
              )
            }
          >
            {t('cards.customerCards.add')}
          </Button>
        </Space>
      )}
    </Flex>
  );
};

const CardsCard = ({ customerId, canSell, canManageMembers }: { customerId: string; canSell: boolean; canManageMembers: boolean }) => {
  const { t } = useTranslation();
  const cards = useCustomerCards(customerId);
  const details = useCardDetails();
  const [isSellOpen, setSellOpen] = useState(false);
  const items = cards.data?.items ?? [];
  return (
    <Card
      title={t('cards.customerCards.title')}
      loading={cards.isLoading}
      extra={
        canSell && (
          <Button onClick={() => setSellOpen(true)} aria-label={t('cards.customerCards.sell')}>
            {t('cards.customerCards.sell')}
          </Button>
        )
      }
    >
      {items.length === 0 ? (
        <Empty description={t('cards.customerCards.empty')} />
      ) : (
        <Flex vertical gap={16}>
          {items.map((card) => (
            <Card key={card.id} type="inner" title={card.name} extra={<CardStatus card={card} />}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('cards.columns.details')}>
                  {[
                    card.isOwner ? t('cards.customerCards.owner', { name: card.ownerName }) : t('cards.customerCards.shared', { name: card.ownerName }),
                    card.validTo ? t('cards.customerCards.validTo', { date: card.validTo }) : t('cards.customerCards.lifetime'),
                    ...details({
                      kind: 'membership',
                      validity: null,
                      familyLimit: card.familyLimit,
                      discountRules: card.discountRules,
                      bonusFen: 0,
                      contents: [],
                      bundledVouchers: [],
                    }),
                  ].join(t('common.clauseSeparator'))}
                </Descriptions.Item>
                {card.pendingVouchers.length > 0 && (
                  <Descriptions.Item label={t('cards.customerCards.pendingVouchers')}>
                    {card.pendingVouchers.map((voucher) => `${voucher.name} ${formatYuan(voucher.faceValueFen)} × ${voucher.quantity}`).join('、')}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <CardMembers customerId={customerId} card={card} canSell={canManageMembers} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                {t('cards.customerCards.uses')}：
                {card.uses.length === 0
                  ? t('cards.customerCards.noUses')
                  : card.uses
                      .slice(0, 10)
                      .map((use) => `${dayjs(use.createdAt).format('MM-DD')} ${use.customerName} ${formatYuan(use.amountFen)}`)
                      .join(t('common.clauseSeparator'))}
              </Typography.Paragraph>
            </Card>
          ))}
        </Flex>
      )}
      <SellModal customerId={customerId} what="card" open={isSellOpen} onClose={() => setSellOpen(false)} />
    </Card>
  );
};

const CardStatus = ({ card }: { card: CustomerCard }) => {
  const { t } = useTranslation();
  if (card.status === 'cancelled') return <Tag>{t('cards.customerCards.cancelled')}</Tag>;
  if (!card.isValid) return <Tag color="orange">{t('cards.customerCards.expired')}</Tag>;
  return <Tag color="green">{t('cards.customerCards.valid')}</Tag>;
};

/** 储值/卡 on the customer 360 page: stored value with its ledger, and the cards she holds or shares. */
export const CustomerCardsTab = ({ customer }: { customer: Customer }) => {
  const me = useCurrentMe();
  const canCheckout = hasPermission(me, 'orders.checkout');
  return (
    <Flex vertical gap={16}>
      <StoredValueCard
        customerId={customer.id}
        canTopUp={canCheckout && hasPermission(me, 'stored_value.top_up')}
        canRefund={hasPermission(me, 'orders.refund')}
      />
      <CardsCard customerId={customer.id} canSell={canCheckout && hasPermission(me, 'cards.sell')} canManageMembers={hasPermission(me, 'cards.sell')} />
    </Flex>
  );
};
