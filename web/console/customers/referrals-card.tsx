import { Card, Empty, Flex, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer360 } from '../../shared/api-models';

/** 老带新: the customers this one brought in. */
export const ReferralsCard = ({ referrals }: { referrals: Customer360['referrals'] }) => {
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
