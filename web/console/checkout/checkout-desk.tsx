import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Divider, Flex, Form, Input, type InputRef, type RefSelectProps, Select, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../shared/api';
import type { Customer, CustomerCourseItem, Item, OpenOrderInput, Order, Quote } from '../../shared/api-models';
import { fenToYuanText, formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { AllergyAlert } from '../common/allergy-alert';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { useCustomerCourses } from '../courses/course-queries';
import { DeductDialog } from '../courses/deduct-dialog';
import { useCustomer, useStaff } from '../customers/customer-queries';
import { useOpenOrder, useOrderSettings } from '../orders/order-queries';
import { newPaymentRow, type PaymentRow, PaymentRows, readPaymentRows } from '../payments/payment-rows';
import { CheckoutPointsHint } from '../points/checkout-points-hint';
import { usePointsSettings } from '../points/points-queries';
import { type CartLine, cartTotals, defaultAttribution, lineProblemOf, newCartLine, toOrderLineInput } from './cart';
import { CartLinesTable } from './cart-lines-table';
import { CheckoutResult } from './checkout-result';
import { ItemBox } from './item-box';
import { KeyboardHelp } from './keyboard-help';
import { MemberBox } from './member-box';
import { PointsSwitch } from './points-switch';
import { PriceExplanation } from './price-explanation';
import { quoteKeys, quoteQuery, useQuote } from './quote-queries';
import { isSameOrderPrice, pointsForFen, quoteRequestOf, rejectedChosenVouchers } from './quote-request';
import { VoucherPicker } from './voucher-picker';

type CheckoutDeskProps = {
  storeId: string | undefined;
  /** The desk's tab is showing: only then do its shortcuts listen. */
  isActive: boolean;
};

const SummaryRow = ({ label, value, strong, danger, pending }: { label: string; value: string; strong?: boolean; danger?: boolean; pending?: boolean }) => (
  <Flex justify="space-between" align="baseline">
    <Typography.Text type={danger ? 'danger' : 'secondary'}>{label}</Typography.Text>
    <Typography.Text
      strong={strong}
      type={danger ? 'danger' : undefined}
      style={{ fontSize: strong ? 22 : 15, fontVariantNumeric: 'tabular-nums', opacity: pending ? 0.5 : 1 }}
      aria-busy={pending}
    >
      {value}
    </Typography.Text>
  </Flex>
);

/** 收银台 (SPEC §19): member box → item box → lines → payments, all from the keyboard. */
export const CheckoutDesk = ({ storeId, isActive }: CheckoutDeskProps) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const canCheckout = useCan('orders.checkout');
  const settings = useOrderSettings();
  const staff = useStaff();
  const staffItems = staff.data?.items ?? [];
  const openOrder = useOpenOrder();
  const idempotencyKeyFor = useIdempotencyKey();
  const queryClient = useQueryClient();
  const canReadPoints = useCan('points.read');
  const pointsSettings = usePointsSettings(canReadPoints);

  const [customer, setCustomer] = useState<Customer | undefined>();
  // 划扣 at the desk: her courses with sessions left; a line of such an item can use a session instead of being charged.
  const canDeduct = useCan('courses.deduct');
  const courses = useCustomerCourses(canDeduct ? customer?.id : undefined);
  const [deducting, setDeducting] = useState<{ lineKey: string; sessions: number; courseItem: CustomerCourseItem; courseName: string } | null>(null);
  // Wallet vouchers (券包) chosen for this order; they belong to the customer, so a new customer starts with none.
  const [voucherIds, setVoucherIds] = useState<string[]>([]);
  const [orderType, setOrderType] = useState<string | undefined>();
  const [lines, setLines] = useState<CartLine[]>([]);
  const [notes, setNotes] = useState('');
  const [paymentRows, setPaymentRows] = useState<PaymentRow[]>(() => [newPaymentRow()]);
  // The first amount follows what is due until the desk types in it herself.
  const [isFirstAmountAuto, setFirstAmountAuto] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  // Off for the odd order priced without member benefits (list prices and the desk's own discounts).
  const [isMemberPricing, setMemberPricing] = useState(true);
  // 使用积分抵现: the most points the clinic's rules let her use on this cart, as the quote says, pay first.
  const [isUsingPoints, setUsingPoints] = useState(false);
  const [result, setResult] = useState<Order | null>(null);
  // A new customer at the desk is a new request even if the cart looks the same as the last one.
  const [round, setRound] = useState(0);

  const memberBox = useRef<RefSelectProps>(null);
  const itemBox = useRef<RefSelectProps>(null);
  const firstAmount = useRef<InputRef>(null);

  const effectiveOrderType = orderType ?? settings.data?.defaultOrderType;
  const totals = cartTotals(lines);
  const rowsPaid = readPaymentRows(paymentRows);
  // The usable points come from the latest quote of this cart (the server's one computation of the caps).
  const [usablePoints, setUsablePoints] = useState<Quote['usablePoints']>(null);
  const usable = lines.length > 0 && customer ? usablePoints : null;
  const switchPoints = isUsingPoints && usable ? usable.points : 0;
  const switchFen = isUsingPoints && usable ? usable.valueFen : 0;
  const paid = {
    payments: [...(switchFen > 0 ? [{ method: 'points' as const, amountFen: switchFen }] : []), ...rowsPaid.payments],
    totalFen: rowsPaid.totalFen + switchFen,
    isValid: rowsPaid.isValid,
  };

  // 开单定价: the server prices the cart for this customer (tier, cards, card vouchers); the desk charges that.
  // Points typed on a 积分抵现 payment row still count, next to the switch's.
  const rowPointsFen = rowsPaid.payments.filter((payment) => payment.method === 'points').reduce((sum, payment) => sum + payment.amountFen, 0);
  const redemption = pointsSettings.data?.isEnabled ? pointsSettings.data.redemption : undefined;
  const pointsToUse = redemption?.isEnabled ? switchPoints + pointsForFen(rowPointsFen, redemption.pointsPerYuan) : 0;
  const quoteRequest = useMemo(
    () => quoteRequestOf({ storeId, customerId: customer?.id, lines, isMemberPricing, pointsToUse, voucherIds }),
    [storeId, customer?.id, lines, isMemberPricing, pointsToUse, voucherIds],
  );
  // Once the order is placed its cart is history: no re-pricing (its vouchers are used now), until the next customer.
  const debouncedRequest = useDebouncedValue(quoteRequest, 300);
  const quote = useQuote(result ? undefined : debouncedRequest);
  const isQuoteCurrent = isSameOrderPrice(quote.data?.request, quoteRequest);
  // The explanation also shows the points step, so it is current only for exactly this request.
  const isExplanationCurrent = !quote.isFetching && JSON.stringify(quote.data?.request) === JSON.stringify(quoteRequest);
  const pricedQuote = isQuoteCurrent ? quote.data?.quote : undefined;
  const pricedUsable = pricedQuote ? pricedQuote.usablePoints : undefined;
  useEffect(() => {
    if (pricedUsable !== undefined) setUsablePoints(pricedUsable);
  }, [pricedUsable]);
  const isPricing = quoteRequest !== undefined && pricedQuote === undefined;
  // Until the price arrives the cart's own sum stands in, greyed; checkout compares with it again anyway.
  const totalFen = pricedQuote?.orderTotalFen ?? totals.totalFen;
  const pricedAmounts = pricedQuote ? new Map(lines.map((line, index) => [line.key, pricedQuote.lines[index]?.finalFen ?? 0])) : undefined;
  const arrearsFen = Math.max(0, totalFen - paid.totalFen);
  const overpaidFen = Math.max(0, paid.totalFen - totalFen);
  // Pre-filled: the amount due, less what the points switch and the other rows (points, stored value…) already pay.
  const othersFen = readPaymentRows(paymentRows.slice(1)).totalFen + switchFen;
  const autoAmountText = lines.length > 0 && totalFen - othersFen > 0 ? fenToYuanText(totalFen - othersFen) : '';
  useEffect(() => {
    if (!isFirstAmountAuto) return;
    setPaymentRows((rows) => {
      const [first, ...rest] = rows;
      return first && first.amountText !== autoAmountText ? [{ ...first, amountText: autoAmountText }, ...rest] : rows;
    });
  }, [isFirstAmountAuto, autoAmountText]);
  const changePaymentRows = (rows: PaymentRow[]) => {
    const [first] = rows;
    if (!first || first.key !== paymentRows[0]?.key || first.amountText !== paymentRows[0]?.amountText) setFirstAmountAuto(false);
    setPaymentRows(rows);
  };
  // The session to use for an item: from a course not expired, the one ending soonest first.
  const courseItemByItemId = useMemo(() => {
    const found = new Map<string, { courseItem: CustomerCourseItem; courseName: string }>();
    const usable = (courses.data?.items ?? [])
      .filter((course) => !course.isExpired)
      .sort((a, b) => (a.expiresOn ?? '9999-12-31').localeCompare(b.expiresOn ?? '9999-12-31'));
    for (const course of usable) {
      for (const courseItem of course.items) {
        if (courseItem.remainingSessions > 0 && !found.has(courseItem.itemId)) found.set(courseItem.itemId, { courseItem, courseName: course.name });
      }
    }
    return found;
  }, [courses.data]);
  const consultantName = customer?.consultantId ? staffItems.find((member) => member.id === customer.consultantId)?.displayName : undefined;

  const focusSoon = (target: { current: { focus: () => void } | null }) => window.setTimeout(() => target.current?.focus(), 0);

  const pickCustomer = (next: Customer | undefined) => {
    setCustomer(next);
    setVoucherIds([]);
    setUsingPoints(false);
    setUsablePoints(null);
    setProblem(null);
    if (!next) return;
    // 业绩 follows the customer: lines rung up before a change of customer go to the new one's consultant.
    setLines((current) => current.map((line) => ({ ...line, attribution: defaultAttribution(next.consultantId) })));
    focusSoon(itemBox);
  };

  // 核销台 → 去收银使用: the customer and her voucher come in the address, are taken once and leave it.
  const [searchParams, setSearchParams] = useSearchParams();
  const customerIdFromAddress = searchParams.get('customerId') ?? undefined;
  const customerFromAddress = useCustomer(customerIdFromAddress);
  const takeFromAddress = useRef<(customer: Customer) => void>(() => undefined);
  takeFromAddress.current = (next: Customer) => {
    if (next.id !== customerIdFromAddress) return;
    const voucherId = searchParams.get('voucherId');
    pickCustomer(next);
    if (voucherId && /^[0-9a-f-]{36}$/i.test(voucherId)) setVoucherIds([voucherId]);
    setSearchParams(
      (current) => {
        const rest = new URLSearchParams(current);
        rest.delete('customerId');
        rest.delete('voucherId');
        return rest;
      },
      { replace: true },
    );
  };
  useEffect(() => {
    if (customerFromAddress.data) takeFromAddress.current(customerFromAddress.data);
  }, [customerFromAddress.data]);

  const addItem = (item: Item) => {
    if (!customer) return;
    setProblem(null);
    setLines((current) => [...current, newCartLine(item, defaultAttribution(customer.consultantId))]);
  };

  const reset = () => {
    setCustomer(undefined);
    setVoucherIds([]);
    setOrderType(undefined);
    setLines([]);
    setNotes('');
    setPaymentRows([newPaymentRow()]);
    setFirstAmountAuto(true);
    setProblem(null);
    setMemberPricing(true);
    setUsingPoints(false);
    setUsablePoints(null);
    setResult(null);
    setRound((current) => current + 1);
    focusSoon(memberBox);
  };

  const buildInput = (withPayments: boolean): OpenOrderInput | string => {
    if (!storeId || !customer) return t('checkout.problems.noMember');
    if (lines.length === 0) return t('checkout.problems.noLines');
    if (lines.some((line) => lineProblemOf(line) !== undefined)) return t('checkout.problems.invalidLines');
    if (withPayments && !paid.isValid) return t('checkout.problems.invalidPayments');
    const trimmedNotes = notes.trim();
    return {
      storeId,
      customerId: customer.id,
      ...(effectiveOrderType ? { orderType: effectiveOrderType } : {}),
      lines: lines.map(toOrderLineInput),
      ...(isMemberPricing ? {} : { memberPricing: false }),
      ...(voucherIds.length > 0 ? { voucherIds } : {}),
      ...(trimmedNotes ? { notes: trimmedNotes } : {}),
      ...(withPayments ? { payments: paid.payments } : {}),
    };
  };

  const submit = async (withPayments: boolean) => {
    if (openOrder.isPending || result) return;
    if (withPayments && !canCheckout) return;
    // The red "payments exceed the amount due" alert already says why.
    if (withPayments && overpaidFen > 0) return;
    const input = buildInput(withPayments);
    if (typeof input === 'string') {
      setProblem(input);
      return;
    }
    setProblem(null);
    if (!quoteRequest) return;
    // Price the cart once more right now: the order is opened only at the total the cashier sees.
    let expectedTotalFen: number;
    try {
      const fresh = (await queryClient.fetchQuery({ ...quoteQuery(quoteRequest), staleTime: 0 })).quote;
      // A chosen voucher that does not apply would make the order fail: say which and why, and charge nothing.
      const [refused] = rejectedChosenVouchers(fresh, voucherIds);
      if (refused) {
        setProblem(t('vouchers.checkout.blocked', { name: refused.name, message: serverText.pricingMessage(refused.message) }));
        return;
      }
      expectedTotalFen = fresh.orderTotalFen;
      // The points the switch pays must still be the most she may use (her balance or the cart moved meanwhile).
      if (isUsingPoints && (fresh.usablePoints?.valueFen ?? 0) !== switchFen) {
        setUsablePoints(fresh.usablePoints);
        setProblem(t('checkout.points.changed'));
        return;
      }
    } catch (error) {
      setProblem(errorMessage(error));
      return;
    }
    if (expectedTotalFen !== totalFen) {
      setProblem(t('pricing.panel.totalChanged', { amount: formatYuan(expectedTotalFen) }));
      return;
    }
    // Money left unpaid becomes her arrears only when the desk says so; the default answer is no.
    const unpaidFen = Math.max(0, expectedTotalFen - paid.totalFen);
    if (withPayments && unpaidFen > 0) {
      const confirmed = await modal.confirm({
        title: t('checkout.summary.arrearsConfirmTitle'),
        content: t('checkout.summary.arrearsConfirmContent', {
          total: formatYuan(expectedTotalFen),
          paid: formatYuan(paid.totalFen),
          amount: formatYuan(unpaidFen),
        }),
        okText: t('checkout.summary.arrearsConfirmOk'),
        okButtonProps: { danger: true },
        cancelText: t('checkout.summary.arrearsConfirmCancel'),
        autoFocusButton: 'cancel',
      });
      if (!confirmed) {
        focusSoon(firstAmount);
        return;
      }
    }
    const priced = { ...input, expectedTotalFen };
    try {
      const order = await openOrder.mutateAsync({ input: priced, idempotencyKey: idempotencyKeyFor({ round, input: priced }) });
      if (withPayments) {
        setResult(order);
      } else {
        void message.success(t('checkout.queued', { number: order.number }));
        reset();
      }
    } catch (error) {
      setProblem(errorMessage(error));
      if (error instanceof ApiError && error.code === 'PRICE_CHANGED') {
        // Prices moved between the quote and the order (a card voucher used at another desk): show the new price, charge nothing.
        void message.error(error.message);
        void queryClient.invalidateQueries({ queryKey: quoteKeys.all });
      }
    }
  };

  // Shortcuts: F2 member, F3 item, F4 payment, Ctrl+Enter 收银, Ctrl+Shift+Enter 提交待收银.
  const onShortcut = useRef<(event: KeyboardEvent) => void>(() => undefined);
  onShortcut.current = (event: KeyboardEvent) => {
    // Not while a dialog (the result, a 业绩 split) has the keyboard.
    if (result || (event.target instanceof Element && event.target.closest('[role="dialog"]'))) return;
    const focus = (target: { current: { focus: () => void } | null }) => {
      event.preventDefault();
      target.current?.focus();
    };
    if (event.key === 'F2') focus(memberBox);
    else if (event.key === 'F3') focus(itemBox);
    else if (event.key === 'F4' && canCheckout) focus(firstAmount);
    else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit(canCheckout && !event.shiftKey);
    }
  };
  useEffect(() => {
    if (!isActive) return;
    const listener = (event: KeyboardEvent) => onShortcut.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [isActive]);

  const orderTypeOptions = (settings.data?.orderTypes ?? []).map((type) => ({ value: type, label: type }));

  return (
    <Flex gap={16} wrap align="flex-start">
      {/* At 1280 px (the sider beside it) the payment column stays beside the cart, not below it. */}
      <div style={{ flex: '1 1 600px', minWidth: 0 }}>
        <Card>
          <Form layout="vertical" component="div">
            <Form.Item label={t('checkout.member')} htmlFor="checkout-member" style={{ marginBottom: 12 }}>
              <MemberBox
                id="checkout-member"
                aria-label={t('checkout.member')}
                selectRef={memberBox}
                autoFocus
                placeholder={t('checkout.memberPlaceholder')}
                value={customer}
                onChange={pickCustomer}
              />
            </Form.Item>
            {customer ? (
              <Flex vertical gap={4} style={{ marginBottom: 12 }}>
                <AllergyAlert allergies={customer.allergies} />
                {customer.arrearsFen > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('checkout.arrearsWarning', { amount: formatYuan(customer.arrearsFen) })}
                    action={<Link to={`/orders?customerId=${customer.id}&hasArrears=true`}>{t('checkout.viewArrears')}</Link>}
                    style={{ marginBottom: 12 }}
                  />
                )}
                <Typography.Text type="secondary">
                  {consultantName ? t('checkout.consultant', { name: consultantName }) : t('checkout.noConsultant')}
                </Typography.Text>
                <CheckoutPointsHint customerId={customer.id} />
              </Flex>
            ) : (
              <Typography.Paragraph type="secondary">{t('checkout.memberHint')}</Typography.Paragraph>
            )}
            <Form.Item label={t('checkout.item')} htmlFor="checkout-item" style={{ marginBottom: 12 }}>
              <ItemBox
                id="checkout-item"
                aria-label={t('checkout.item')}
                selectRef={itemBox}
                disabled={!customer}
                placeholder={customer ? t('checkout.itemPlaceholder') : t('checkout.itemNeedsMember')}
                onAdd={addItem}
              />
            </Form.Item>
          </Form>
          <CartLinesTable
            lines={lines}
            pricedAmounts={pricedAmounts}
            staff={staffItems}
            onChange={(key, patch) => setLines((current) => current.map((line) => (line.key === key ? { ...line, ...patch } : line)))}
            onRemove={(key) => setLines((current) => current.filter((line) => line.key !== key))}
            courseItemFor={(line) => courseItemByItemId.get(line.item.id)?.courseItem}
            onDeduct={(line, courseItem) =>
              setDeducting({
                lineKey: line.key,
                sessions: line.quantity ?? 1,
                courseItem,
                courseName: courseItemByItemId.get(line.item.id)?.courseName ?? '',
              })
            }
          />
          {deducting && customer && (
            // The confirm step names her, the item and the sessions; once written, the line is no longer charged.
            <DeductDialog
              courseItem={deducting.courseItem}
              customer={customer}
              courseName={deducting.courseName}
              initialSessions={deducting.sessions}
              onDeducted={() => setLines((current) => current.filter((line) => line.key !== deducting.lineKey))}
              onClose={() => {
                setDeducting(null);
                focusSoon(itemBox);
              }}
            />
          )}
          <Flex gap="middle" wrap style={{ marginTop: 16 }}>
            <Flex vertical gap={4} style={{ width: 200 }}>
              <Typography.Text type="secondary">{t('checkout.orderType')}</Typography.Text>
              <Select<string>
                aria-label={t('checkout.orderType')}
                value={effectiveOrderType}
                options={orderTypeOptions}
                loading={settings.isPending}
                onChange={setOrderType}
              />
            </Flex>
            <Flex vertical gap={4} style={{ flex: 1, minWidth: 240 }}>
              <Typography.Text type="secondary">{t('checkout.notes')}</Typography.Text>
              <Input
                aria-label={t('checkout.notes')}
                placeholder={t('checkout.notesPlaceholder')}
                maxLength={500}
                value={notes}
                onChange={(event) => setNotes(event.target.value)}
              />
            </Flex>
          </Flex>
          {customer && (
            <>
              <Divider style={{ margin: '16px 0 12px' }} />
              <VoucherPicker
                customer={customer}
                chosen={voucherIds}
                quote={isExplanationCurrent ? quote.data?.quote : undefined}
                onChange={(next) => {
                  setVoucherIds(next);
                  setProblem(null);
                }}
              />
            </>
          )}
        </Card>
        <div style={{ marginTop: 16 }}>
          <PriceExplanation
            quote={quote.data?.quote}
            isCurrent={isExplanationCurrent}
            hasRequest={quoteRequest !== undefined}
            error={quote.error}
            isMemberPricing={isMemberPricing}
            onMemberPricingChange={(next) => {
              setMemberPricing(next);
              setProblem(null);
            }}
          />
        </div>
      </div>
      <div style={{ flex: '0 0 340px', minWidth: 0 }}>
        <Flex vertical gap={16}>
          <Card title={t('checkout.summary.title')} styles={{ body: { padding: 16 } }}>
            <Flex vertical gap={8}>
              <SummaryRow label={t('checkout.summary.itemCount')} value={String(lines.length)} />
              <SummaryRow label={t('checkout.summary.gross')} value={formatYuan(totals.grossFen)} />
              <SummaryRow label={t('checkout.summary.discount')} value={formatYuan(-(totals.grossFen - totalFen))} pending={isPricing} />
              <SummaryRow label={t('checkout.summary.total')} value={formatYuan(totalFen)} strong pending={isPricing} />
              <Divider style={{ margin: '8px 0' }} />
              {canCheckout ? (
                <>
                  {/* Nothing to say for a customer without points: the switch shows once she has some. */}
                  {usable && usable.balancePoints > 0 && (
                    <PointsSwitch
                      usable={usable}
                      isOn={isUsingPoints}
                      onChange={(isOn) => {
                        setUsingPoints(isOn);
                        setFirstAmountAuto(true);
                        setProblem(null);
                      }}
                      isPending={isPricing}
                    />
                  )}
                  <PaymentRows
                    rows={paymentRows}
                    onChange={changePaymentRows}
                    // The points switch already pays its part: the rows add up to the rest.
                    targetFen={totalFen - switchFen}
                    firstAmountRef={firstAmount}
                    onSubmit={() => void submit(true)}
                  />
                  <SummaryRow label={t('checkout.summary.paid')} value={formatYuan(paid.totalFen)} />
                  <SummaryRow label={t('checkout.summary.arrears')} value={formatYuan(arrearsFen)} danger={arrearsFen > 0} strong={arrearsFen > 0} />
                  {arrearsFen > 0 && lines.length > 0 && (
                    <Alert type="warning" showIcon title={t('checkout.summary.arrearsHint', { amount: formatYuan(arrearsFen) })} />
                  )}
                  {overpaidFen > 0 && <Alert type="error" showIcon title={t('checkout.summary.overpaid', { amount: formatYuan(overpaidFen) })} />}
                </>
              ) : (
                <Alert type="info" showIcon title={t('checkout.noCheckoutPermission')} />
              )}
              {problem && <Alert type="error" showIcon role="alert" title={problem} />}
              {/* 收银 on a row of its own; the other two beside each other, never wrapped, in either language. */}
              <Flex vertical gap="small">
                {canCheckout && (
                  <Button type="primary" size="large" block loading={openOrder.isPending} onClick={() => void submit(true)}>
                    {t('checkout.actions.checkout')}
                  </Button>
                )}
                <Flex gap="small">
                  <Button
                    size="large"
                    type={canCheckout ? 'default' : 'primary'}
                    loading={openOrder.isPending}
                    onClick={() => void submit(false)}
                    style={{ flex: 1, minWidth: 0 }}
                  >
                    {t('checkout.actions.queue')}
                  </Button>
                  <Button size="large" type="text" onClick={reset} style={{ flex: 'none', whiteSpace: 'nowrap' }}>
                    {t('checkout.actions.clear')}
                  </Button>
                </Flex>
              </Flex>
            </Flex>
          </Card>
          <KeyboardHelp canCheckout={canCheckout} />
        </Flex>
      </div>
      <CheckoutResult order={result} onNext={reset} />
    </Flex>
  );
};
