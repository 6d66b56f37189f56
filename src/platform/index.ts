// The platform's public surface for modules and the app. Modules import from 'src/platform/<area>/index.js'.
export type { AppModule, ModuleContext } from './module.js';
export { EventBus, defineEvent, type EventKind, type EventHandler } from './events.js';
