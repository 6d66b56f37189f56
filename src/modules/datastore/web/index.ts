export { DATASTORE_MESSAGES } from './messages.js';
export { dataSectionFill } from './data-section.js';
