import type { AppModule } from '../../platform/module.js';
import { AREAS } from './areas.js';
import { ROADMAP_MESSAGES } from './messages.js';
import { areaPages } from './pages.js';

export { AREAS } from './areas.js';

/** The plan's areas not built yet: navigation entries, home-page cards and "coming soon" pages. */
export const roadmapModule = (): AppModule => ({
  name: 'roadmap',
  migrations: [],
  messages: ROADMAP_MESSAGES,
  nav: AREAS.map((a) => ({ place: 'main', order: a.order, path: a.path, title: a.title, summary: a.summary, comingSoon: true })),
  pages: (web) => areaPages(web),
});
