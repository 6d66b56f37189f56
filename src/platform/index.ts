// The platform's public surface for modules and the app. Modules import from 'src/platform/<area>/index.js'.
export { webPartOf, type AppModule, type ModuleContext, type ModuleFactory } from './module.js';
export { EventBus, defineEvent, type EventKind, type EventHandler } from './events.js';
export { definePort, Ports, type Port } from './ports.js';
