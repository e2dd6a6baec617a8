import { useTranslation } from 'react-i18next';
import { englishOf, pricingTexts, serverTexts, visitTypeKeys, voucherTexts } from './server-text-rules';

/** Sentences and titles the server composes in Chinese, in the console's language. */
export const useServerText = () => {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language.startsWith('en');
  const typeName = (zh: string) => {
    const key = visitTypeKeys[zh];
    return key ? t(`visits.types.${key}` as 'visits.types.first') : zh;
  };
  const read = (rules: keyof typeof serverTexts) => (text: string) => (isEnglish ? englishOf(serverTexts[rules], text, typeName) : text);
  return {
    visitReason: read('visitReasons'),
    dealReason: read('dealReasons'),
    pointsReason: read('pointsReasons'),
    tierReason: read('tierReasons'),
    referralText: read('referralTexts'),
    voucherTitle: (title: string) => (isEnglish ? voucherTexts.title(title) : title),
    voucherScope: (label: string) => (isEnglish ? voucherTexts.scope(label) : label),
    voucherNote: (note: string) => (isEnglish ? voucherTexts.note(note) : note),
    pricingMessage: read('pricingMessages'),
    pricedLine: (line: Parameters<typeof pricingTexts.line>[0] & { sentence: string }) => (isEnglish ? pricingTexts.line(line) : line.sentence),
    discountLabel: (label: string, rateBp?: number) => (isEnglish ? pricingTexts.discountLabel(label, rateBp) : label),
  };
};
