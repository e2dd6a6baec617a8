import { DownOutlined, TranslationOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, languages } from '../i18n';

/** A menu rather than a Select: the first screen already loads Dropdown, and Select is large. */
export const LanguageSwitch = () => {
  const { t } = useTranslation();
  const current = currentLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: languages.map((language) => ({ key: language, label: t(`languages.${language}`) })),
        onClick: ({ key }) => {
          const language = languages.find((one) => one === key);
          if (language) void changeLanguage(language);
        },
      }}
    >
      <Button type="text" aria-label={t('header.language')} icon={<TranslationOutlined />}>
        {t(`languages.${current}`)} <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
};
