// Imported first by main.ts: an odd browser locale (e.g. `en-US@posix`) must not blank the page.
import { installLocaleFallback } from './lib/locale';

installLocaleFallback(navigator);
