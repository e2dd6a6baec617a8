import { ArrowLeftOutlined, EditOutlined, ShoppingCartOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../shared/api';
import type { Customer360 } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { BirthdayText } from './birthday-text';
import { Customer360Tabs } from './customer-360-tabs';
import { CustomerFormDrawer } from './customer-form-drawer';
import { useCustomer360 } from './customer-queries';
import { DynamicTags } from './dynamic-tags';
import { ElsewhereNotice } from './elsewhere-notice';
import { FamilyCard } from './family-card';
import { ReferralsCard } from './referrals-card';

/** Allergies first and impossible to miss: doctors and nurses must see them before treating. */
const AllergyAlert = ({ allergies }: { allergies: readonly string[] }) => {
  const { t } = useTranslation();
  if (allergies.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      icon={<WarningOutlined />}
      title={
        <Typography.Text strong style={{ fontSize: 16 }}>
          {t('customer360.allergyAlert', { list: allergies.join('、') })}
        </Typography.Text>
      }
      description={t('customer360.allergyAlertHint')}
    />
  );
};

const ProfileCard = ({ view, onEdit }: { view: Customer360; onEdit?: () => void }) => {
  const { t } = useTranslation();
  const { customer, consultant, referrer, firstStore } = view;
  const canOpenOrders = useCan('orders.open');
  const navigate = useNavigate();
  const empty = t('common.empty');
  return (
    <Card
      title={
        <Flex align="center" gap="small">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {customer.name}
          </Typography.Title>
          <Tag>{t(`gender.${customer.gender}`)}</Tag>
          <DynamicTags customer={customer} />
        </Flex>
      }
      extra={
        <Flex gap="small">
          {canOpenOrders && (
            // Straight to the desk with her already chosen: no second search.
            <Button type="primary" icon={<ShoppingCartOutlined />} onClick={() => navigate(`/checkout?customerId=${customer.id}`)}>
              {t('customer360.checkout')}
            </Button>
          )}
          {onEdit && (
            <Button icon={<EditOutlined />} onClick={onEdit}>
              {t('common.edit')}
            </Button>
          )}
        </Flex>
      }
    >
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'phone', label: t('customer360.fields.phone'), children: customer.phone },
          { key: 'birthday', label: t('customer360.fields.birthday'), children: <BirthdayText birthday={customer.birthday} /> },
          {
            key: 'sourceChannel',
            label: t('customer360.fields.sourceChannel'),
            children: customer.sourceChannel ? t(`sourceChannel.${customer.sourceChannel}`) : empty,
          },
          { key: 'consultant', label: t('customer360.fields.consultant'), children: consultant?.displayName ?? empty },
          {
            key: 'referrer',
            label: t('customer360.fields.referrer'),
            children: referrer ? <Link to={`/customers/${referrer.id}`}>{referrer.name}</Link> : empty,
          },
          { key: 'firstStore', label: t('customer360.fields.firstStore'), children: firstStore?.name ?? empty },
          {
            key: 'createdAt',
            label: t('customer360.fields.createdAt'),
            children: dayjs(customer.createdAt).format('YYYY-MM-DD HH:mm'),
          },
          {
            key: 'tags',
            label: t('customer360.tags'),
            span: 'filled',
            children:
              customer.tags.length === 0 ? (
                <Typography.Text type="secondary">{t('customer360.noTags')}</Typography.Text>
              ) : (
                <Flex wrap gap={4}>
                  {customer.tags.map((tag) => (
                    <Tag key={tag} color="purple" style={{ marginInlineEnd: 0 }}>
                      {tag}
                    </Tag>
                  ))}
                </Flex>
              ),
          },
          {
            key: 'notes',
            label: t('customer360.fields.notes'),
            span: 'filled',
            children: customer.notes ? <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{customer.notes}</Typography.Text> : empty,
          },
        ]}
      />
    </Card>
  );
};

export const Customer360Page = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const canWrite = useCan('customers.write');
  const errorMessage = useErrorMessage();
  const view = useCustomer360(id);
  const [isEditing, setIsEditing] = useState(false);

  const back = (
    <Link to="/customers">
      <ArrowLeftOutlined /> {t('customer360.backToList')}
    </Link>
  );

  if (view.isPending) return <Card>{<Skeleton active paragraph={{ rows: 6 }} />}</Card>;
  if (view.isError) {
    const isMissing = view.error instanceof ApiError && view.error.status === 404;
    return <Result status={isMissing ? '404' : 'error'} title={errorMessage(view.error)} extra={back} />;
  }

  const { customer } = view.data;
  return (
    <Flex vertical gap="middle">
      {back}
      <AllergyAlert allergies={customer.allergies} />
      <ProfileCard view={view.data} onEdit={canWrite ? () => setIsEditing(true) : undefined} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <FamilyCard customerId={customer.id} family={view.data.family} />
        </Col>
        <Col xs={24} lg={12}>
          <ReferralsCard customerId={customer.id} customerName={customer.name} referrals={view.data.referrals} referrer={view.data.referrer} />
        </Col>
      </Row>
      <ElsewhereNotice customerId={customer.id} />
      <Customer360Tabs customer={customer} />
      <CustomerFormDrawer open={isEditing} customer={customer} referrer={view.data.referrer} onClose={() => setIsEditing(false)} />
    </Flex>
  );
};
