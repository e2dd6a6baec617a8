import { Flex, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../../shared/api-models';
import { useServerText } from '../common/server-text';
import { VisitTypeTag } from './visit-type-tag';

/** The visit type with the 已调整 mark when staff overrode the proposal; the proposal shows on hover. */
export const VisitTypeCell = ({ visit }: { visit: Visit }) => {
  const { t } = useTranslation();
  const { visitReason } = useServerText();
  return (
    <Flex gap={4} wrap align="center">
      <VisitTypeTag type={visit.visitType} />
      {visit.isOverridden && (
        <Tooltip title={t('visits.proposedWas', { type: t(`visits.types.${visit.proposedType}`), reason: visitReason(visit.proposalReason) })}>
          <Tag color="orange" style={{ marginInlineEnd: 0 }}>
            {t('visits.overridden')}
          </Tag>
        </Tooltip>
      )}
    </Flex>
  );
};
