import './locale-fallback';
import { createPinia } from 'pinia';
import { createApp, h } from 'vue';
import App from './App.vue';
import { ConfigError, configKey, configUrl, loadConfig } from './composables/useConfig';
import { createAppRouter } from './router';
import type { AppConfig } from './types/config';
import './styles/main.css';
import ErrorBoundary from './components/ErrorBoundary.vue';
import { reportUnhandledError } from './lib/app-error';
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
  // The whole shell sits in a boundary too: an error in the header shows a message, not a blank page.
  const app = createApp({ render: () => h(ErrorBoundary, { what: 'The app' }, () => h(App)) });
  // What no boundary catches (an async handler's rejection, a watcher outside any component) lands here.
  app.config.errorHandler = (error, _instance, info) => reportUnhandledError(error, info);
  app.provide(configKey, config);
  app.use(createPinia());
  app.use(createAppRouter());
  app.mount('#app');
}

void start();
