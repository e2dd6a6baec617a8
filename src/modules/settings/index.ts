// What flows and other modules may call.

export { exposeSetting } from './routes.js';
export { defineSetting, getSetting, preloadSettings, putSetting, type SettingDefinition } from './service.js';
