import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../shared/api-models';

/** A solar birthday as its date; a lunar one as 农历 + its label, with the solar date on hover. */
export const BirthdayText = ({ birthday }: { birthday: Customer['birthday'] }) => {
  const { t, i18n } = useTranslation();
  if (!birthday) return <>{t('common.empty')}</>;
  if (birthday.calendar === 'solar') return <>{birthday.solarDate}</>;
  return (
    <Tooltip title={t('customers.solarDateHint', { date: birthday.solarDate })}>
      <Space size={4}>
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          {t('customers.lunar')}
        </Tag>
        {/* The server's label already says 农历; the tag says it in the UI language. */}
        <span>
          {i18n.language.startsWith('en')
            ? `${birthday.lunar.isLeapMonth ? 'leap ' : ''}month ${birthday.lunar.month}, day ${birthday.lunar.day}`
            : birthday.lunar.label.replace(/^农历/, '')}
        </span>
      </Space>
    </Tooltip>
  );
};
