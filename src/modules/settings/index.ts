// What flows and other modules may call.
export { defineSetting, getSetting, preloadSettings, putSetting, type SettingDefinition } from './service.js';
