import type { AppModule } from '../../platform/module.js';
import { REGISTRATION_MAIL_JOB, sendRegistrationMail } from './mail.js';
import { migrations } from './migrations.js';
import { awarenessRoutes } from './routes.js';
import { AWARENESS_MESSAGES } from './web/messages.js';
import { awarenessPages } from './web/pages.js';

export { createPost, updatePost, getPost, listPosts, type PostInput } from './posts.js';
export { register, cancelRegistration, registrationsOf, setAttendance } from './registrations.js';
export { REGISTRATION_MAIL_JOB } from './mail.js';

/**
 * AI awareness (docs/awareness.md): news, events, training courses and competitions published by
 * the province's units, bilingual; registration with capacity and a waiting list, confirmation
 * mails, attendance; RSS and Atom feeds; schema.org Event markup.
 */
export function awarenessModule(): AppModule {
  return {
    name: 'awareness',
    migrations,
    messages: AWARENESS_MESSAGES,
    nav: [
      {
        place: 'main',
        order: 75,
        path: '/awareness',
        title: { vi: 'Tin tức, sự kiện', en: 'News, events' },
        summary: {
          vi: 'Tin tức, hội thảo, khóa tập huấn và cuộc thi về trí tuệ nhân tạo; đăng ký tham dự trực tuyến.',
          en: 'News, workshops, training courses and competitions about AI; register online.',
        },
      },
    ],
    defineJobs(ctx) {
      ctx.jobs.define(REGISTRATION_MAIL_JOB, (data) => sendRegistrationMail(ctx.db, ctx.mail, ctx.config.baseUrl, data));
    },
    routes: (app, ctx) => awarenessRoutes(app, ctx),
    pages: (web, ctx) => awarenessPages(web, ctx),
  };
}
