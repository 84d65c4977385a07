import './locale-fallback';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { ConfigError, configKey, configUrl, loadConfig } from './composables/useConfig';
import { createAppRouter } from './router';
import type { AppConfig } from './types/config';
import './styles/main.css';
import ConfigErrorView from './views/ConfigErrorView.vue';

// Until the config arrives, index.html's own "Loading" message stands in for the app.
async function start(): Promise<void> {
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    console.error(error);
    const message = error instanceof ConfigError ? error.message : `Unexpected error: ${String(error)}`;
    createApp(ConfigErrorView, { message, configUrl }).mount('#app');
    return;
  }
  const app = createApp(App);
  app.provide(configKey, config);
  app.use(createPinia());
  app.use(createAppRouter());
  app.mount('#app');
}

void start();
