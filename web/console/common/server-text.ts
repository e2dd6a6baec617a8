import { useTranslation } from 'react-i18next';
import { englishOf, serverTexts, visitTypeKeys } from './server-text-rules';

/** `visitReason` and `dealReason` in the console's language. */
export const useServerText = () => {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language.startsWith('en');
  const typeName = (zh: string) => {
    const key = visitTypeKeys[zh];
    return key ? t(`visits.types.${key}` as 'visits.types.first') : zh;
  };
  return {
    visitReason: (text: string) => (isEnglish ? englishOf(serverTexts.visitReasons, text, typeName) : text),
    dealReason: (text: string) => (isEnglish ? englishOf(serverTexts.dealReasons, text) : text),
  };
};
