import { Alert, Button, Empty, Flex, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useCustomerAudit } from './customer-360-queries';

const actionKeys = {
  'customer.create': 'create',
  'customer.update': 'update',
  'customer.family.link': 'familyLink',
  'customer.family.unlink': 'familyUnlink',
} as const;
const actionKeyOf = (action: string) => Object.entries(actionKeys).find(([code]) => code === action)?.[1];

const actorTypes = ['staff', 'api_key', 'customer', 'system'] as const;
const isActorType = (type: string): type is (typeof actorTypes)[number] => actorTypes.some((known) => known === type);

/** A recorded value as text: strings as they are, anything else as JSON, long ones cut. */
const valueText = (value: unknown, empty: string): string => {
  if (value === null || value === undefined || value === '') return empty;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** 审计记录: who changed what on this customer, and when (audit.read). */
export const CustomerAuditTab = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const timezoneName = useTenantTimezone();
  const errorMessage = useErrorMessage();
  const audit = useCustomerAudit(customerId);
  const empty = t('common.empty');
  if (audit.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (audit.isError) return <Alert type="error" showIcon title={errorMessage(audit.error)} />;
  const entries = audit.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer360.audit.empty')} />;

  return (
    <Flex vertical gap="small">
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={entries}
        columns={[
          {
            key: 'at',
            title: t('customer360.audit.at'),
            width: 160,
            render: (_, entry) => formatTenantTime(entry.at, timezoneName, 'YYYY-MM-DD HH:mm:ss'),
          },
          {
            key: 'actor',
            title: t('customer360.audit.actor'),
            width: 120,
            render: (_, entry) => entry.actorName ?? (isActorType(entry.actorType) ? t(`customer360.audit.actorTypes.${entry.actorType}`) : entry.actorType),
          },
          {
            key: 'action',
            title: t('customer360.audit.action'),
            width: 140,
            render: (_, entry) => {
              const key = actionKeyOf(entry.action);
              return key ? t(`customer360.audit.actions.${key}`) : entry.action;
            },
          },
          {
            key: 'changes',
            title: t('customer360.audit.changes'),
            render: (_, entry) => (
              <Flex vertical gap={2}>
                {entry.changes.map((change) => (
                  <Typography.Text key={change.field} style={{ fontSize: 12 }}>
                    <Typography.Text code>{change.field}</Typography.Text> {valueText(change.before, empty)} → {valueText(change.after, empty)}
                  </Typography.Text>
                ))}
              </Flex>
            ),
          },
        ]}
      />
      {audit.hasNextPage && (
        <Button onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage} style={{ alignSelf: 'center' }}>
          {t('customer360.audit.more')}
        </Button>
      )}
    </Flex>
  );
};
