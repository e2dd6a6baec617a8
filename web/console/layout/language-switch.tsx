import { TranslationOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, type Language, languages } from '../i18n';

export const LanguageSwitch = () => {
  const { t } = useTranslation();
  return (
    <Select<Language>
      aria-label={t('header.language')}
      value={currentLanguage()}
      onChange={(language) => void changeLanguage(language)}
      options={languages.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
      prefix={<TranslationOutlined />}
      variant="borderless"
      popupMatchSelectWidth={false}
    />
  );
};
