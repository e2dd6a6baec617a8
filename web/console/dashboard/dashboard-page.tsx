import { TeamOutlined, WarningOutlined } from '@ant-design/icons';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useCustomerList } from '../customers/customer-queries';
import { BackupStatus } from './backup-status';
import { TodayPanel } from './today-panel';

/** Counts come from list totals (pageSize 1), so the dashboard needs no endpoint of its own yet. */
const CustomerCounts = () => {
  const { t } = useTranslation();
  const all = useCustomerList({ page: 1, pageSize: 1 });
  const withAllergies = useCustomerList({ page: 1, pageSize: 1, hasAllergy: 'true' });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12} xl={8}>
        <Link to="/customers">
          <Card hoverable>
            <Statistic title={t('dashboard.customerTotal')} value={all.data?.total} loading={all.isPending} prefix={<TeamOutlined />} />
          </Card>
        </Link>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Link to="/customers?hasAllergy=true">
          <Card hoverable>
            <Statistic
              title={t('dashboard.customersWithAllergies')}
              value={withAllergies.data?.total}
              loading={withAllergies.isPending}
              prefix={<WarningOutlined />}
            />
          </Card>
        </Link>
      </Col>
    </Row>
  );
};

export const DashboardPage = () => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const canReadCustomers = useCan('customers.read');
  const canReadSystem = useCan('system.read');
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('dashboard.welcome', { name: me.user.displayName })}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {me.tenant.name} · {t('dashboard.intro')}
          </Typography.Paragraph>
          {canReadSystem && <BackupStatus />}
        </Card>
      </Col>
      <Col span={24}>
        <TodayPanel />
      </Col>
      {canReadCustomers && (
        <Col span={24}>
          <CustomerCounts />
        </Col>
      )}
    </Row>
  );
};
