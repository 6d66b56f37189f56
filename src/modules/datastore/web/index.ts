export { DATASTORE_MESSAGES } from './messages.js';
export { dataSectionFill } from './data-section.js';
export { wizardPages } from './wizard.js';
export { dataPages } from './data-page.js';
