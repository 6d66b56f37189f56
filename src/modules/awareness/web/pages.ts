import type { FastifyRequest } from 'fastify';
import { actorOf, hasOrgRole } from '../../../platform/auth/index.js';
import { forbidden, html, raw, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { formatViDateTime } from '../../../platform/text/index.js';
import {
  breadcrumb,
  csrfField,
  dataTable,
  errorSummary,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  sendHtml,
  viewOf,
  type FormError,
  type Values,
  allFields,
} from '../../../platform/web/index.js';
import { jsonLdScriptText } from '../../catalog/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import { createPost, editorUnits, getPost, listPosts, postsOfMyUnits, publisherOf, updatePost } from '../posts.js';
import { schemaOrgEvent } from '../present.js';
import { cancelRegistration, register, registrationOpen, registrationsOf, seatsLeft, setAttendance, waitingPosition } from '../registrations.js';
import { POST_KINDS, type PostKind, type PostRow } from '../tables.js';
import { AWARENESS_MESSAGES, KIND_LABEL, STATUS_LABEL, type AwarenessView } from './messages.js';
import { inputOfPostForm, postFormPage, valuesOfPost } from './post-form.js';

type SlugReq = FastifyRequest<{ Params: { slug: string }; Querystring: { msg?: string; n?: string } }>;

const titleOf = (v: AwarenessView, p: PostRow) => (v.lang === 'en' && p.title_en ? p.title_en : p.title);
const when = (p: PostRow) => (p.starts_at ? `${formatViDateTime(p.starts_at)}${p.ends_at ? ` – ${formatViDateTime(p.ends_at)}` : ''}` : '');

/** The awareness pages: the list with its feeds, a post with registration, cancelling, the organizers' list and forms. */
export async function awarenessPages(web: App, ctx: ModuleContext): Promise<void> {
  const { db, jobs } = ctx;
  const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };

  web.get<{ Querystring: { kind?: string } }>('/awareness', { schema: { hide: true } }, async (req, reply) => {
    const v: AwarenessView = viewOf(req, AWARENESS_MESSAGES);
    const kind = POST_KINDS.includes(req.query.kind as PostKind) ? (req.query.kind as PostKind) : undefined;
    const posts = await listPosts(db, kind);
    const mine = req.principal.user ? await postsOfMyUnits(db, req.principal) : [];
    const item = (p: PostRow) =>
      html`<li class="post-item">
        <span class="badge">${v.msg(KIND_LABEL[p.kind])}</span> <a href="/awareness/${p.slug}">${titleOf(v, p)}</a>
        ${p.starts_at ? html`<span class="muted"> · ${when(p)}${p.place ? ` · ${p.place}` : ''}</span>` : ''}
        ${p.published_at ? '' : html` <span class="badge">${v.t('awDraft')}</span>`} ${p.summary ? html`<p>${p.summary}</p>` : ''}
      </li>`;
    const body = html`<h1>${v.t('awTitle')}</h1>
      <p class="lead">${v.t('awLead')}</p>
      <nav aria-label="${v.t('awKind')}" class="filters">
        <a href="/awareness" ${kind ? '' : html`aria-current="page"`}>${v.t('awAll')}</a>
        ${POST_KINDS.map((k) => html` · <a href="/awareness?kind=${k}" ${kind === k ? html`aria-current="page"` : ''}>${v.msg(KIND_LABEL[k])}</a>`)}
      </nav>
      ${
        posts.length
          ? html`<ul class="posts">
              ${posts.map(item)}
            </ul>`
          : html`<p>${v.t('awNone')}</p>`
      }
      <p>${v.t('awFeeds')}: <a href="/awareness/feed.rss">RSS</a> · <a href="/awareness/feed.atom">Atom</a></p>
      ${
        req.principal.user
          ? html`<section aria-labelledby="mine-h">
              <h2 id="mine-h">${v.t('awMine')}</h2>
              <p><a class="button" href="/awareness/new">${v.t('awNew')}</a></p>
              ${
                mine.length
                  ? html`<ul class="posts">
                      ${mine.map(item)}
                    </ul>`
                  : ''
              }
            </section>`
          : ''
      }`;
    return sendHtml(reply, layout(v, { title: v.t('awTitle'), body, description: v.t('awLead') }));
  });

  const postPage = async (req: SlugReq, values: Values = {}, error?: FormError) => {
    const v: AwarenessView = viewOf(req, AWARENESS_MESSAGES);
    const post = await getPost(db, req.principal, req.params.slug);
    const org = await publisherOf(db, post);
    const left = await seatsLeft(db, post);
    const url = `${ctx.config.baseUrl.replace(/\/$/, '')}/awareness/${post.slug}`;
    const editor = hasOrgRole(req.principal, post.org_id, 'editor');
    const notice =
      req.query.msg === 'confirmed'
        ? v.t('awConfirmed')
        : req.query.msg === 'waitlisted' && /^[1-9][0-9]{0,5}$/.test(req.query.n ?? '')
          ? v.t('awWaitlisted', { n: req.query.n! })
          : req.query.msg === 'cancelled'
            ? v.t('awCancelled')
            : undefined;
    const registration = registrationOpen(post)
      ? html`<section class="panel" aria-labelledby="reg-h">
          <h2 id="reg-h">${v.t('awRegister')}</h2>
          ${post.capacity !== null ? html`<p>${left === 0 ? v.t('awFull') : v.t('awSeats', { n: left ?? 0, total: post.capacity })}</p>` : ''}
          ${errorSummary(v, error, 'reg')}
          <form method="post" action="/awareness/${post.slug}/register" class="stack" novalidate>
            ${csrfField(v)} ${input({ idPrefix: 'reg', name: 'name', label: v.t('awName'), values, error, required: true, autocomplete: 'name' })}
            ${input({ idPrefix: 'reg', name: 'email', label: v.t('awEmail'), values, error, required: true, type: 'email', autocomplete: 'email' })}
            ${input({ idPrefix: 'reg', name: 'affiliation', label: v.t('awAffiliation'), values, error, autocomplete: 'organization' })}
            <div class="actions"><button type="submit" class="button">${v.t('awRegister')}</button></div>
          </form>
        </section>`
      : post.kind !== 'news'
        ? html`<p class="alert">${v.t('awClosed')}</p>`
        : '';
    const text = v.lang === 'en' && post.body_en ? post.body_en : post.body;
    const body = html`${breadcrumb(v, [{ href: '/awareness', label: v.t('awTitle') }, { label: titleOf(v, post) }])}
      ${post.kind !== 'news' ? raw(`<script type="application/ld+json">${jsonLdScriptText(schemaOrgEvent(post, url, org, left))}</script>`) : ''}
      <p><span class="badge">${v.msg(KIND_LABEL[post.kind])}</span>${post.published_at ? '' : html` <span class="badge">${v.t('awDraft')}</span>`}</p>
      <h1>${titleOf(v, post)}</h1>
      ${notice ? html`<div class="alert alert-success" role="status">${notice}</div>` : ''}
      <dl class="facts">
        ${
          post.starts_at
            ? html`<dt>${v.t('awWhen')}</dt>
                <dd>${when(post)}</dd>`
            : ''
        }
        ${
          post.place
            ? html`<dt>${v.t('awWhere')}</dt>
                <dd>${post.place}</dd>`
            : ''
        }
        ${
          org
            ? html`<dt>${v.t('awBy')}</dt>
                <dd><a href="/organization/${org.slug}">${org.name}</a></dd>`
            : ''
        }
      </dl>
      ${post.summary ? html`<p class="lead">${post.summary}</p>` : ''} ${text.split(/\n{2,}/).map((para) => html`<p class="pre">${para}</p>`)} ${registration}
      ${
        editor
          ? html`<p>
              <a href="/awareness/${post.slug}/edit">${v.t('awEdit')}</a
              >${post.kind !== 'news' ? html` · <a href="/awareness/${post.slug}/registrations">${v.t('awRegistrations')}</a>` : ''}
            </p>`
          : ''
      }`;
    return layout(v, { title: titleOf(v, post), body, description: post.summary || undefined });
  };

  web.get('/awareness/:slug', { schema: { hide: true } }, async (req: SlugReq, reply) => sendHtml(reply, await postPage(req)));

  web.post('/awareness/:slug/register', { schema: { hide: true } }, async (req: SlugReq, reply) => {
    const values = allFields(req.body);
    try {
      const { registration } = await register(db, jobs, actorOf(req), req.params.slug, values);
      const n = registration.status === 'waitlisted' ? await waitingPosition(db, registration) : 0;
      const q = new URLSearchParams({ msg: registration.status, ...(n ? { n: String(n) } : {}) });
      return reply.redirect(`/awareness/${req.params.slug}?${q}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, AWARENESS_MESSAGES));
      return sendHtml(reply, await postPage(req, values, error), status);
    }
  });

  type CancelReq = FastifyRequest<{ Params: { slug: string; id: string }; Querystring: { token?: string } }>;
  web.get('/awareness/:slug/registrations/:id/cancel', { schema: { hide: true } }, async (req: CancelReq, reply) => {
    const v: AwarenessView = viewOf(req, AWARENESS_MESSAGES);
    const post = await getPost(db, req.principal, req.params.slug);
    const body = html`<h1>${v.t('awCancelTitle')}</h1>
      <p>${v.t('awCancelAsk', { title: titleOf(v, post) })}</p>
      <form method="post" action="/awareness/${post.slug}/registrations/${req.params.id}/cancel" class="stack">
        ${csrfField(v)}<input type="hidden" name="token" value="${req.query.token ?? ''}" />
        <div class="actions"><button type="submit" class="button">${v.t('awCancelDo')}</button></div>
      </form>`;
    return sendHtml(reply, layout(v, { title: v.t('awCancelTitle'), body, noindex: true }));
  });
  web.post('/awareness/:slug/registrations/:id/cancel', { schema: { hide: true } }, async (req: CancelReq, reply) => {
    await cancelRegistration(db, jobs, actorOf(req), req.params.id, allFields(req.body).token ?? '');
    return reply.redirect(`/awareness/${req.params.slug}?msg=cancelled`, 303);
  });

  web.get('/awareness/:slug/registrations', signedIn, async (req: SlugReq, reply) => {
    const v: AwarenessView = viewOf(req, AWARENESS_MESSAGES);
    const { post, registrations } = await registrationsOf(db, req.principal, req.params.slug);
    const body = html`${breadcrumb(v, [{ href: '/awareness', label: v.t('awTitle') }, { href: `/awareness/${post.slug}`, label: titleOf(v, post) }, { label: v.t('awRegistrations') }])}
      <h1>${v.t('awRegistrations')}: ${titleOf(v, post)}</h1>
      ${dataTable({
        columns: ['#', v.t('awName'), v.t('awEmail'), v.t('awAffiliation'), v.t('awStatus'), v.t('awAttended')],
        rows: registrations.map(
          (r, i) =>
            html`<tr>
              <td>${i + 1}</td>
              <th scope="row">${r.name}</th>
              <td>${r.email}</td>
              <td>${r.affiliation ?? ''}</td>
              <td>${v.msg(STATUS_LABEL[r.status])}</td>
              <td>
                ${
                  r.status === 'confirmed'
                    ? html`<form method="post" action="/awareness/${post.slug}/registrations/${r.id}/attendance">
                        ${csrfField(v)}<input type="hidden" name="attended" value="${r.attended ? 'no' : 'yes'}" /> ${r.attended ? '✓ ' : ''}<button
                          type="submit"
                          class="button secondary"
                        >
                          ${r.attended ? v.t('awUnmark') : v.t('awMarkAttended')}
                        </button>
                      </form>`
                    : ''
                }
              </td>
            </tr>`,
        ),
      })}`;
    return sendHtml(reply, layout(v, { title: v.t('awRegistrations'), body, noindex: true }));
  });
  web.post('/awareness/:slug/registrations/:id/attendance', signedIn, async (req: CancelReq, reply) => {
    await setAttendance(db, req.principal, actorOf(req), req.params.slug, req.params.id, allFields(req.body).attended === 'yes');
    return reply.redirect(`/awareness/${req.params.slug}/registrations`, 303);
  });

  const myOrgs = (req: FastifyRequest) => organizationsByIds(db, editorUnits(req.principal));
  web.get('/awareness/new', signedIn, async (req, reply) =>
    sendHtml(reply, postFormPage(viewOf(req, AWARENESS_MESSAGES), { orgs: await myOrgs(req), values: { kind: 'event' } })),
  );
  web.post('/awareness/new', signedIn, async (req, reply) => {
    const values = allFields(req.body);
    try {
      const post = await createPost(db, req.principal, actorOf(req), inputOfPostForm(values, true));
      return reply.redirect(`/awareness/${post.slug}`, 303);
    } catch (e) {
      const v = viewOf(req, AWARENESS_MESSAGES);
      const { status, error } = formErrorOf(e, v);
      return sendHtml(reply, postFormPage(v, { orgs: await myOrgs(req), values, error }), status);
    }
  });
  web.get('/awareness/:slug/edit', signedIn, async (req: SlugReq, reply) => {
    const post = await getPost(db, req.principal, req.params.slug);
    if (!hasOrgRole(req.principal, post.org_id, 'editor'))
      throw forbidden('forbidden', { vi: 'Chỉ biên tập viên của đơn vị đăng bài được sửa.', en: 'Only the publishing unit’s editors may edit.' });
    return sendHtml(reply, postFormPage(viewOf(req, AWARENESS_MESSAGES), { post, orgs: [], values: valuesOfPost(post) }));
  });
  web.post('/awareness/:slug/edit', signedIn, async (req: SlugReq, reply) => {
    const values = allFields(req.body);
    try {
      const post = await updatePost(db, req.principal, actorOf(req), req.params.slug, inputOfPostForm(values, false));
      return reply.redirect(`/awareness/${post.slug}`, 303);
    } catch (e) {
      const v = viewOf(req, AWARENESS_MESSAGES);
      const { status, error } = formErrorOf(e, v);
      const post = await getPost(db, req.principal, req.params.slug);
      return sendHtml(reply, postFormPage(v, { post, orgs: [], values, error }), status);
    }
  });
}
