import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../../shared/api';
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

/**
 * zh-CN is always there (it is the fallback); English is its own chunk, fetched the first time it
 * is used, so the first load carries one language.
 */
const englishResources = async () => (await import('./en')).en;

const loadResources = async (language: Language) => {
  if (language === 'zh-CN' || i18next.hasResourceBundle(language, 'translation')) return;
  i18next.addResourceBundle(language, 'translation', await englishResources());
};

let areaStrings: Promise<void> | undefined;

/**
 * The areas' zh-CN strings (`zh-CN-areas.ts`), fetched once: every page but the dashboard awaits
 * this with its code, so it never renders a key. English comes whole (`en.ts`) when chosen.
 */
export const loadAreaStrings = (): Promise<void> => {
  areaStrings ??= import('./zh-CN-areas').then(
    ({ zhCNAreas }) => {
      i18next.addResourceBundle('zh-CN', 'translation', zhCNAreas, true, false);
    },
    (error: unknown) => {
      // A failed fetch (the network) is tried again by the next page opened.
      areaStrings = undefined;
      throw error;
    },
  );
  return areaStrings;
};

export const currentLanguage = (): Language => (isLanguage(i18next.language) ? i18next.language : 'zh-CN');

export const changeLanguage = async (language: Language) => {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Private mode or storage disabled: the choice lasts until the page reloads.
  }
  await loadResources(language);
  applyLanguage(language);
  await i18next.changeLanguage(language);
};

export const initI18n = async () => {
  const language = storedLanguage();
  applyLanguage(language);
  const resources: Resource = { 'zh-CN': { translation: zhCN } };
  if (language === 'en') resources.en = { translation: await englishResources() };
  await i18next.use(initReactI18next).init({
    resources,
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
