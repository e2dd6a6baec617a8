import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { ClaimLinkModal } from './claim-link-modal';
import { DistributionFormDrawer } from './distribution-form-drawer';
import { DistributionJobCard } from './distribution-job';
import {
  type Distribution,
  type DistributionJob,
  type DistributionKind,
  distributionKinds,
  useCancelDistribution,
  useDistributions,
  useRunDistribution,
} from './distribution-queries';
import { DistributionSettingsModal } from './distribution-settings-modal';
import { useDistributionText } from './distribution-text';
import { VoucherTitle } from './voucher-title';
import { VouchersTabs } from './vouchers-tabs';

const statusColors: Record<Distribution['status'], string> = { active: 'green', scheduled: 'blue', done: 'default', cancelled: 'default' };
const runnable = new Set<DistributionKind>(['periodic', 'operations', 'batch']);

/** 发券: every way the clinic hands out vouchers — create, see what each issued and skipped, run now, cancel, show a claim link. */
export const DistributionsPage = () => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const canManage = useCan('vouchers.manage');
  const [kind, setKind] = useState<DistributionKind | undefined>();
  const distributions = useDistributions(kind);
  const run = useRunDistribution();
  const cancel = useCancelDistribution();
  const runKey = useIdempotencyKey();
  const text = useDistributionText();
  const [isCreating, setIsCreating] = useState(false);
  const [linkOf, setLinkOf] = useState<string | null>(null);
  const [isSettingsOpen, setIsSettingsOpen] = useState(false);
  // The run being followed: a batch or a run now issues in the background; its card shows the progress.
  const [watching, setWatching] = useState<{ job: DistributionJob; name: string } | null>(null);

  const runNow = async (distribution: Distribution) => {
    try {
      // One key per press: a retry after a lost answer replays it, a later press runs again (and issues only to newcomers).
      const result = await run.mutateAsync({ id: distribution.id, idempotencyKey: runKey({ id: distribution.id, at: Date.now() }) });
      setWatching({ job: result.job, name: distribution.name });
      void message.info(t('voucherDistribution.started'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  const cancelIt = async (distribution: Distribution) => {
    try {
      await cancel.mutateAsync(distribution.id);
      void message.success(t('voucherDistribution.cancelled'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  return (
    <Flex vertical gap="middle">
      <VouchersTabs
        intro={t('voucherDistribution.intro')}
        extra={
          canManage && (
            <Space>
              <Button icon={<SettingOutlined />} onClick={() => setIsSettingsOpen(true)}>
                {t('voucherDistribution.settings')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setIsCreating(true)}>
                {t('voucherDistribution.add')}
              </Button>
            </Space>
          )
        }
      />
      {watching && <DistributionJobCard key={watching.job.id} job={watching.job} name={watching.name} onClose={() => setWatching(null)} />}
      <Card>
        <Flex vertical gap="small">
          <Select<DistributionKind | 'all'>
            aria-label={t('voucherDistribution.form.kind')}
            value={kind ?? 'all'}
            onChange={(value) => setKind(value === 'all' ? undefined : value)}
            style={{ width: 180, alignSelf: 'flex-end' }}
            options={[
              { value: 'all', label: t('voucherDistribution.allKinds') },
              ...distributionKinds.map((value) => ({ value, label: t(`voucherDistribution.kinds.${value}`) })),
            ]}
          />
          {distributions.isError && <Alert type="error" showIcon title={errorMessage(distributions.error)} />}
          <Table<Distribution>
            rowKey="id"
            loading={distributions.isPending}
            dataSource={distributions.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 1100 }}
            locale={{ emptyText: t('voucherDistribution.empty') }}
            columns={[
              {
                key: 'name',
                title: t('voucherDistribution.columns.name'),
                width: 200,
                render: (_, row) => (
                  <Flex vertical gap={2}>
                    <Typography.Text strong>{row.name}</Typography.Text>
                    <span>
                      <Tag>{t(`voucherDistribution.kinds.${row.kind}`)}</Tag>
                    </span>
                  </Flex>
                ),
              },
              {
                key: 'template',
                title: t('voucherDistribution.columns.template'),
                width: 300,
                render: (_, row) => (
                  <Flex vertical gap={2}>
                    <Typography.Text>{row.template.name}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      <VoucherTitle title={row.template.title} />
                    </Typography.Text>
                  </Flex>
                ),
              },
              { key: 'audience', title: t('voucherDistribution.columns.audience'), render: (_, row) => text.audience(row) },
              {
                key: 'time',
                title: t('voucherDistribution.columns.time'),
                render: (_, row) => (
                  <Flex vertical gap={2}>
                    <span>{text.timing(row)}</span>
                    {row.lastRunAt && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('voucherDistribution.time.lastRun', { time: formatTenantTime(row.lastRunAt, timezone, 'YYYY-MM-DD HH:mm') })}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              {
                key: 'status',
                title: t('voucherDistribution.columns.status'),
                width: 100,
                render: (_, row) => <Tag color={statusColors[row.status]}>{t(`voucherDistribution.statuses.${row.status}`)}</Tag>,
              },
              {
                key: 'issued',
                title: t('voucherDistribution.columns.issued'),
                width: 130,
                render: (_, row) => {
                  const skipped = text.skippedTotal(row.skipped);
                  return (
                    <Space size={4}>
                      <Typography.Text strong>{row.issuedCount}</Typography.Text>
                      {skipped > 0 && (
                        <Tooltip title={text.skippedReasons(row.skipped)}>
                          <Tag color="orange">{t('voucherDistribution.skipped', { count: skipped })}</Tag>
                        </Tooltip>
                      )}
                    </Space>
                  );
                },
              },
              {
                key: 'actions',
                title: t('voucherDistribution.columns.actions'),
                width: 240,
                render: (_, row) => (
                  <Space size={0} wrap>
                    {row.kind === 'claim_link' && (
                      <Button type="link" onClick={() => setLinkOf(row.id)}>
                        {t('voucherDistribution.showLink')}
                      </Button>
                    )}
                    {canManage && runnable.has(row.kind) && row.status !== 'cancelled' && (
                      <Popconfirm title={t('voucherDistribution.runConfirm')} onConfirm={() => runNow(row)}>
                        <Button type="link" loading={run.isPending && run.variables?.id === row.id}>
                          {t('voucherDistribution.run')}
                        </Button>
                      </Popconfirm>
                    )}
                    {canManage && (row.status === 'active' || row.status === 'scheduled') && (
                      <Popconfirm title={t('voucherDistribution.cancelConfirm')} onConfirm={() => cancelIt(row)}>
                        <Button type="link" danger>
                          {t('voucherDistribution.cancel')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Flex>
      </Card>
      <DistributionFormDrawer
        open={isCreating}
        onClose={() => setIsCreating(false)}
        onCreated={(created) => {
          setIsCreating(false);
          if (created.distribution.kind === 'claim_link') setLinkOf(created.distribution.id);
          if (created.job) setWatching({ job: created.job, name: created.distribution.name });
        }}
      />
      <ClaimLinkModal distributionId={linkOf} onClose={() => setLinkOf(null)} />
      <DistributionSettingsModal open={isSettingsOpen} onClose={() => setIsSettingsOpen(false)} />
    </Flex>
  );
};
