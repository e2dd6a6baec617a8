import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../../shared/api';
import { en } from './en';
import { type ConsoleResources, zhCN } from './zh-CN';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'yuehui.console.language';
const dayjsLocales: Record<Language, string> = { 'zh-CN': 'zh-cn', en: 'en' };

const isLanguage = (value: unknown): value is Language => languages.some((language) => language === value);

/** zh-CN unless the user picked another language on this browser before. */
const storedLanguage = (): Language => {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
};

const applyLanguage = (language: Language) => {
  setRequestLanguage(language);
  dayjs.locale(dayjsLocales[language]);
  document.documentElement.lang = language;
};

export const currentLanguage = (): Language => (isLanguage(i18next.language) ? i18next.language : 'zh-CN');

export const changeLanguage = async (language: Language) => {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Private mode or storage disabled: the choice lasts until the page reloads.
  }
  applyLanguage(language);
  await i18next.changeLanguage(language);
};

export const initI18n = async () => {
  const language = storedLanguage();
  applyLanguage(language);
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    fallbackLng: 'zh-CN',
    // React already escapes what it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: ConsoleResources };
  }
}
