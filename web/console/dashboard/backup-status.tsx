import { DatabaseOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../shared/api';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';

/** A snapshot older than this means the daily one has stopped being taken. */
const staleAfterMs = 48 * 3_600_000;

/** 数据备份: the owner's one line on the dashboard — when the last daily snapshot was taken (embedded mode). */
export const BackupStatus = () => {
  const { t } = useTranslation();
  const timezone = useTenantTimezone();
  const status = useQuery({ queryKey: ['system', 'status'], queryFn: () => unwrap(api.GET('/api/v1/system/status')) });
  // Rendered at once (an ellipsis until the answer), so the line's place never jumps.
  const snapshots = status.data?.snapshots;
  const last = snapshots?.last ?? null;
  const isStale = last !== null && Date.now() - Date.parse(last.takenAt) > staleAfterMs;
  const text = !snapshots
    ? '…'
    : !snapshots.isEnabled
      ? t('dashboard.backup.server')
      : last
        ? t('dashboard.backup.last', { time: formatTenantTime(last.takenAt, timezone, 'YYYY-MM-DD HH:mm'), kept: snapshots.kept })
        : t('dashboard.backup.none');
  return (
    <Typography.Text type={snapshots?.isEnabled && (isStale || !last) ? 'warning' : 'secondary'} data-testid="backup-status">
      <DatabaseOutlined /> {text}
      {isStale && ` ${t('dashboard.backup.stale')}`}
    </Typography.Text>
  );
};
