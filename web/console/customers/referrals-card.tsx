import { QrcodeOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Image, List, Progress, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer360 } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { type CustomerReferrals, type ReferralRewardView, useCustomerReferrals, useReferralCode } from '../referrals/referral-queries';
import { useUpdateCustomer } from './customer-queries';
import { CustomerSearchSelect } from './customer-search-select';

type ReferralsCardProps = {
  customerId: string;
  customerName: string;
  /** From the 360 view: shown as they are to staff without referrals.read. */
  referrals: Customer360['referrals'];
  referrer: Customer360['referrer'];
};

const stageColors = { registered: 'default', arrived: 'blue', dealt: 'green' } as const;
const statusColors = { given: 'green', capped: 'orange', skipped: 'default', clawed_back: 'red' } as const;

/**
 * 转介绍 on the customer 360 page: her referral code and QR, her partner level and progress, who
 * referred her (settable before her first visit), the people she brought with their stage, and
 * the rewards. Staff without referrals.read see the plain list of the people she brought.
 */
export const ReferralsCard = ({ customerId, customerName, referrals, referrer }: ReferralsCardProps) => {
  const { t } = useTranslation();
  const canRead = useCan('referrals.read');
  const view = useCustomerReferrals(customerId, { isEnabled: canRead });
  if (!canRead) return <PlainReferrals referrals={referrals} />;
  return (
    <Card title={t('referrals.card.title')} loading={view.isPending} data-testid="customer-referrals" extra={view.data && <PartnerTag view={view.data} />}>
      {view.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} />}
      {view.data && <ReferralsDetail view={view.data} customerId={customerId} customerName={customerName} referrer={referrer} />}
    </Card>
  );
};

const PartnerTag = ({ view }: { view: CustomerReferrals }) => (
  <Tag color="magenta" style={{ marginInlineEnd: 0 }}>
    {view.partner.level.name}
  </Tag>
);

const RewardTag = ({ reward }: { reward: ReferralRewardView }) => {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[reward.status]} title={reward.note}>
      {t(`referrals.sides.${reward.side}`)} · {t(`referrals.rewardStages.${reward.stage}`)}
      {reward.points ? ` +${reward.points}` : ''} · {t(`referrals.statuses.${reward.status}`)}
    </Tag>
  );
};

const ReferralsDetail = ({
  view,
  customerId,
  customerName,
  referrer,
}: {
  view: CustomerReferrals;
  customerId: string;
  customerName: string;
  referrer: Customer360['referrer'];
}) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const [isCodeWanted, setIsCodeWanted] = useState(false);
  const code = useReferralCode(customerId, { isEnabled: isCodeWanted || view.code !== null });
  const { partner } = view;
  return (
    <Flex vertical gap="middle">
      {view.activity.isFlagged && (
        <Alert type="warning" showIcon icon={<WarningOutlined />} title={t('referrals.card.flagged', { count: view.activity.referralsLast30Days })} />
      )}
      <Typography.Text type="secondary">
        {t('referrals.card.totals', {
          referred: view.totals.referred,
          arrived: view.totals.arrived,
          dealt: view.totals.dealt,
          points: view.totals.pointsGiven.toLocaleString('en-US'),
        })}
      </Typography.Text>

      <Flex gap="middle" align="flex-start" wrap>
        {code.data ? (
          <>
            <Image
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.data.qrSvg)}`}
              alt={t('referrals.card.qrAlt', { name: customerName })}
              width={112}
              height={112}
              preview={false}
              data-testid="referral-qr"
            />
            <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text type="secondary">{t('referrals.card.code')}</Typography.Text>
              <Typography.Text strong copyable style={{ fontSize: 22, letterSpacing: 2 }} data-testid="referral-code">
                {code.data.code}
              </Typography.Text>
              <Typography.Text
                copyable={{ text: code.data.url, tooltips: [t('referrals.card.copyLink'), t('referrals.card.linkCopied')] }}
                ellipsis
                style={{ maxWidth: 320 }}
              >
                {code.data.url}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('referrals.card.codeHelp')}
              </Typography.Text>
            </Flex>
          </>
        ) : (
          <Button icon={<QrcodeOutlined />} loading={code.isFetching} onClick={() => setIsCodeWanted(true)}>
            {t('referrals.card.createCode')}
          </Button>
        )}
      </Flex>

      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'partner',
            label: t('referrals.card.partner'),
            children: (
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Typography.Text>
                  <Tag color="magenta">{partner.level.name}</Tag>
                  {t('referrals.card.partnerFigures', { amount: formatYuan(partner.figures.consumptionFen), count: partner.figures.successfulReferrals })}
                </Typography.Text>
                {partner.level.benefits && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {partner.level.benefits}
                  </Typography.Text>
                )}
                {partner.next && (
                  <>
                    <Progress percent={partner.next.percent} size="small" />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {serverText.referralText(partner.next.sentence)}
                    </Typography.Text>
                  </>
                )}
              </Flex>
            ),
          },
          {
            key: 'referrer',
            label: t('referrals.card.referrer'),
            children: <ReferrerField view={view} customerId={customerId} referrer={referrer} />,
          },
        ]}
      />

      <div>
        <Typography.Title level={5}>{t('referrals.card.referred')}</Typography.Title>
        {view.referred.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('referrals.card.noReferrals')} />
        ) : (
          <List
            size="small"
            dataSource={view.referred}
            data-testid="referred-list"
            renderItem={(friend) => (
              <List.Item>
                <Flex vertical gap={4} style={{ width: '100%' }}>
                  <Flex justify="space-between" align="center" gap="small" wrap>
                    <Space size={4}>
                      <Link to={`/customers/${friend.customerId}`}>{friend.name}</Link>
                      <Tag color={stageColors[friend.stage]}>{t(`referrals.stages.${friend.stage}`)}</Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`referrals.channels.${friend.channel}`)}
                      </Typography.Text>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('referrals.card.referredAt', { date: dayjs(friend.referredAt).format('YYYY-MM-DD') })}
                    </Typography.Text>
                  </Flex>
                  {friend.rewards.length > 0 && (
                    <Flex wrap gap={4}>
                      {friend.rewards.map((reward) => (
                        <RewardTag key={reward.id} reward={reward} />
                      ))}
                    </Flex>
                  )}
                </Flex>
              </List.Item>
            )}
          />
        )}
      </div>

      <div>
        <Typography.Title level={5}>{t('referrals.card.rewards')}</Typography.Title>
        {view.rewards.length === 0 ? (
          <Typography.Text type="secondary">{t('referrals.card.noRewards')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={view.rewards}
            renderItem={(reward) => (
              <List.Item extra={<Tag color={statusColors[reward.status]}>{t(`referrals.statuses.${reward.status}`)}</Tag>}>
                <Flex vertical>
                  <Typography.Text>{reward.note}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dayjs(reward.createdAt).format('YYYY-MM-DD HH:mm')}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </div>
    </Flex>
  );
};

/** Her referrer, and for staff with customers.write a picker to set or change it while that is still allowed (before her first visit). */
const ReferrerField = ({ view, customerId, referrer }: { view: CustomerReferrals; customerId: string; referrer: Customer360['referrer'] }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('customers.write');
  const update = useUpdateCustomer(customerId);
  const [isEditing, setIsEditing] = useState(false);
  const [picked, setPicked] = useState<string | undefined>(view.referrer?.customerId);
  const current = view.referrer;

  const save = () =>
    update.mutate(
      { referrerId: picked ?? null },
      {
        onSuccess: () => {
          setIsEditing(false);
          void message.success(t('referrals.card.referrerSaved'));
        },
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  return (
    <Flex vertical gap={4} style={{ width: '100%' }} data-testid="referrer-field">
      <Space size={4} wrap>
        {current ? (
          <>
            <Link to={`/customers/${current.customerId}`}>{current.name}</Link>
            <Tag>{t(`referrals.channels.${current.channel}`)}</Tag>
          </>
        ) : (
          <Typography.Text type="secondary">{t('referrals.card.noReferrer')}</Typography.Text>
        )}
        {canWrite && view.canChangeReferrer && !isEditing && (
          <Button size="small" type="link" onClick={() => setIsEditing(true)}>
            {current ? t('referrals.card.changeReferrer') : t('referrals.card.setReferrer')}
          </Button>
        )}
      </Space>
      {isEditing && (
        <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
          <CustomerSearchSelect
            aria-label={t('referrals.card.referrer')}
            placeholder={t('referrals.card.referrerPlaceholder')}
            value={picked}
            onChange={setPicked}
            excludeIds={[customerId]}
            initialOption={referrer}
            style={{ flex: 1 }}
          />
          <Button type="primary" loading={update.isPending} onClick={save}>
            {t('common.save')}
          </Button>
          <Button onClick={() => setIsEditing(false)}>{t('common.cancel')}</Button>
        </Space.Compact>
      )}
      {canWrite && !view.canChangeReferrer && view.changeProblem && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} title={t('referrals.card.referrerLockedTitle')}>
          {serverText.referralText(view.changeProblem)}
        </Typography.Text>
      )}
    </Flex>
  );
};

/** 老带新: the customers this one brought in (for staff who may not see referral details). */
const PlainReferrals = ({ referrals }: { referrals: Customer360['referrals'] }) => {
  const { t } = useTranslation();
  return (
    <Card title={t('customer360.referrals')}>
      {referrals.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer360.noReferrals')} />
      ) : (
        <Flex vertical gap="small">
          {referrals.map((referral) => (
            <Flex key={referral.id} justify="space-between">
              <Link to={`/customers/${referral.id}`}>{referral.name}</Link>
              <Typography.Text type="secondary">{t('customer360.referredAt', { date: dayjs(referral.createdAt).format('YYYY-MM-DD') })}</Typography.Text>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
};
