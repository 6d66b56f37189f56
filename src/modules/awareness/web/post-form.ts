import { html, type Html } from '../../../platform/http/index.js';
import { breadcrumb, checkbox, csrfField, errorSummary, input, layout, select, textarea, type FormError, type Values } from '../../../platform/web/index.js';
import { formatViDateTime } from '../../../platform/text/index.js';
import type { PostInput } from '../posts.js';
import { POST_KINDS, type PostRow } from '../tables.js';
import { KIND_LABEL, type AwarenessView } from './messages.js';

const P = 'aw';

/** The form's values from a stored post. */
export function valuesOfPost(p: PostRow): Values {
  return {
    kind: p.kind,
    title: p.title,
    titleEn: p.title_en ?? '',
    summary: p.summary,
    body: p.body,
    bodyEn: p.body_en ?? '',
    startsAt: p.starts_at ? formatViDateTime(p.starts_at) : '',
    endsAt: p.ends_at ? formatViDateTime(p.ends_at) : '',
    place: p.place ?? '',
    capacity: p.capacity === null ? '' : String(p.capacity),
    registrationOpen: p.registration_open ? 'on' : '',
    published: p.published_at ? 'on' : '',
  };
}

/** The posted form as the service's input (the same checks as the API then apply). */
export function inputOfPostForm(b: Values, creating: boolean): PostInput {
  return {
    kind: b.kind,
    ...(creating ? { org: b.org } : {}),
    title: b.title ?? '',
    titleEn: b.titleEn || null,
    summary: b.summary ?? '',
    body: b.body ?? '',
    bodyEn: b.bodyEn || null,
    startsAt: b.startsAt || null,
    endsAt: b.endsAt || null,
    place: b.place || null,
    capacity: b.capacity || null,
    registrationOpen: b.registrationOpen === 'on',
    published: b.published === 'on',
  };
}

/** Creating (with the user's units to publish for) or editing a post. */
export function postFormPage(v: AwarenessView, o: { post?: PostRow; orgs: { slug: string; name: string }[]; values: Values; error?: FormError }): Html {
  const action = o.post ? `/awareness/${o.post.slug}/edit` : '/awareness/new';
  const title = o.post ? v.t('awEdit') : v.t('awNew');
  const f = { idPrefix: P, values: o.values, error: o.error };
  const body = html`${breadcrumb(v, [{ href: '/awareness', label: v.t('awTitle') }, { label: title }])}
    <h1>${title}</h1>
    ${errorSummary(v, o.error, P)}
    <form method="post" action="${action}" class="stack" novalidate>
      ${csrfField(v)}
      ${select({ ...f, name: 'kind', label: v.t('awKind'), required: true, options: POST_KINDS.map((k) => ({ value: k, label: v.msg(KIND_LABEL[k]) })) })}
      ${o.post ? '' : select({ ...f, name: 'org', label: v.t('awOrg'), required: true, options: o.orgs.map((x) => ({ value: x.slug, label: x.name })) })}
      ${input({ ...f, name: 'title', label: v.t('awFieldTitle'), required: true })} ${input({ ...f, name: 'titleEn', label: v.t('awFieldTitleEn') })}
      ${textarea({ ...f, name: 'summary', label: v.t('awFieldSummary'), rows: 2 })} ${textarea({ ...f, name: 'body', label: v.t('awFieldBody'), rows: 8 })}
      ${textarea({ ...f, name: 'bodyEn', label: v.t('awFieldBodyEn'), rows: 4 })} ${input({ ...f, name: 'startsAt', label: v.t('awFieldStarts') })}
      ${input({ ...f, name: 'endsAt', label: v.t('awFieldEnds') })} ${input({ ...f, name: 'place', label: v.t('awFieldPlace') })}
      ${input({ ...f, name: 'capacity', label: v.t('awFieldCapacity'), attrs: html` inputmode="numeric"` })}
      ${checkbox({ idPrefix: P, name: 'registrationOpen', label: v.t('awFieldOpen'), checked: o.values.registrationOpen === 'on' })}
      ${checkbox({ idPrefix: P, name: 'published', label: v.t('awFieldPublished'), checked: o.values.published === 'on' })}
      <div class="actions"><button type="submit" class="button">${v.t('awSave')}</button></div>
    </form>`;
  return layout(v, { title, body, noindex: true });
}
