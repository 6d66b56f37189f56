import { defineMessages } from '../../platform/i18n/index.js';

/** What the roadmap pages show. */
export const ROADMAP_MESSAGES = defineMessages({
  comingNote: {
    vi: 'Khu vực này đang được xây dựng. Trong lúc chờ, dữ liệu hiện có được cung cấp qua API.',
    en: 'This area is under construction. Meanwhile, the data that exists is available through the API.',
  },
});
