export { foldVi, cleanText, slugify } from './vi.js';
