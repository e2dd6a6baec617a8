import { Alert, Descriptions, Flex, Modal, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { useDistribution } from './distribution-queries';
import { VoucherTitle } from './voucher-title';

/** 领券链接: the link to send and its QR code (an SVG drawn by the server) to print for the front desk. */
export const ClaimLinkModal = ({ distributionId, onClose }: { distributionId: string | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const detail = useDistribution(distributionId);
  const data = detail.data;
  return (
    <Modal open={distributionId !== null} onCancel={onClose} footer={null} title={t('voucherDistribution.link.title')} width={520} destroyOnHidden>
      {detail.isError && <Alert type="error" showIcon title={errorMessage(detail.error)} />}
      {detail.isPending && <Skeleton active />}
      {data && (
        <Flex vertical gap="middle" align="center">
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('voucherDistribution.link.help')}
          </Typography.Paragraph>
          <Typography.Title level={5} style={{ margin: 0, textAlign: 'center' }}>
            <VoucherTitle title={data.template.title} />
          </Typography.Title>
          {data.qrSvg && (
            <div
              role="img"
              aria-label={t('voucherDistribution.link.title')}
              className="claim-link-qr"
              style={{ width: 220, height: 220 }}
              // The server draws this SVG from the link alone; nothing a user typed goes into it.
              // biome-ignore lint/security/noDangerouslySetInnerHtml: a QR code SVG made by our own server
              dangerouslySetInnerHTML={{ __html: data.qrSvg }}
            />
          )}
          <Descriptions
            size="small"
            column={1}
            style={{ width: '100%' }}
            items={[
              {
                key: 'url',
                label: t('voucherDistribution.link.url'),
                children: (
                  <Typography.Text copyable={{ text: data.claimUrl ?? '' }} style={{ wordBreak: 'break-all' }}>
                    {data.claimUrl}
                  </Typography.Text>
                ),
              },
              {
                key: 'stock',
                label: t('voucherDistribution.link.stock'),
                children: `${data.template.stockLeft === null ? t('voucherDistribution.link.unlimited') : data.template.stockLeft} · ${t('voucherDistribution.link.perCustomer', { count: data.template.perCustomerLimit })}`,
              },
            ]}
          />
        </Flex>
      )}
    </Modal>
  );
};
