import { Alert, Button, Card, Flex, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type DistributionJob, useDistributionJob } from './distribution-queries';
import { useDistributionText } from './distribution-text';

/**
 * 发券进度: a batch (or an operations run) issues in the background; this card follows its job —
 * progress while it runs, then how many received vouchers, already had them, or were skipped.
 */
export const DistributionJobCard = ({ job: started, name, onClose }: { job: DistributionJob; name: string; onClose: () => void }) => {
  const { t } = useTranslation();
  const text = useDistributionText();
  const { data: job } = useDistributionJob(started);
  const current = job ?? started;
  const { done, total } = current.progress;
  const percent = total ? Math.floor((done / total) * 100) : current.status === 'succeeded' ? 100 : 0;
  const result = current.result;
  return (
    <Card
      size="small"
      data-testid="distribution-job"
      title={t('voucherDistribution.job.title', { name })}
      extra={
        <Button type="link" onClick={onClose}>
          {t('voucherDistribution.job.close')}
        </Button>
      }
    >
      <Flex vertical gap="small">
        <Progress
          percent={percent}
          status={current.status === 'failed' ? 'exception' : current.status === 'succeeded' ? 'success' : 'active'}
          aria-label={t('voucherDistribution.job.progressLabel')}
        />
        <Typography.Text type="secondary">
          {t(`voucherDistribution.job.status.${current.status}`)} · {t('voucherDistribution.job.progress', { done, total: total ?? '—' })}
        </Typography.Text>
        {current.status === 'succeeded' && result && (
          <Alert
            type="success"
            showIcon
            title={t('voucherDistribution.ran', { issued: result.issued, already: result.alreadyIssued, skipped: text.skippedTotal(result.skipped) })}
          />
        )}
        {current.status === 'failed' && <Alert type="error" showIcon title={t('voucherDistribution.job.failed', { error: current.error ?? '' })} />}
      </Flex>
    </Card>
  );
};
