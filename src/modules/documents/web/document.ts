import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../../platform/auth/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  csrfField,
  dataTable,
  dlRow,
  field,
  formatDate,
  formErrorOf,
  requireSignedIn,
  sendHtml,
  UUID_RE,
  viewOf,
  type FormError,
} from '../../../platform/web/index.js';
import { notFound } from '../../../platform/http/index.js';
import { requestAction } from '../actions.js';
import { PRIORITIES, STATUS } from '../codes.js';
import { documentView, type DocumentView } from '../queries.js';
import { retryDelivery } from '../retry.js';
import type { DocsDeps } from '../send.js';
import { setStatus } from '../status.js';
import { DOCUMENTS_MESSAGES, EVENTS, type DocumentsView } from './messages.js';
import { dmy, documentsPage, numberOf, stateText, statusText } from './parts.js';

const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };

/** A timeline entry's kind in words (`document-delivered`, `status`, …); an unknown kind as it is. */
const eventText = (v: DocumentsView, kind: string): string => {
  const m = EVENTS[kind];
  return m ? v.msg(m) : kind;
};

function signature(v: DocumentsView, d: DocumentView): Html {
  const s = d.signature;
  if (!s) return html`<p>${v.t('dcUnsigned')}</p>`;
  const signer = s.signer;
  return html`<p><strong>${s.valid ? v.t('dcSigValid') : v.t('dcSigInvalid')}</strong>${s.valid ? '' : html` — ${s.reason ?? ''}`}</p>
    ${
      signer
        ? html`<dl class="details">
            ${dlRow(v.t('dcSigner'), signer.subject)} ${dlRow(v.t('dcIssuer'), signer.issuer)}
            ${dlRow(v.t('dcValidity'), `${signer.validFrom} – ${signer.validTo}`)} ${dlRow('SHA-256', html`<code>${signer.fingerprint256 ?? ''}</code>`)}
          </dl>`
        : ''
    }`;
}

function actions(v: DocumentsView, d: DocumentView, error?: FormError): Html {
  const parts: Html[] = [];
  const err = (f: string) => (error && (error.field === f || !error.field) ? html`<p class="field-error" role="alert">${error.message}</p>` : '');
  if (d.may.next_statuses.length)
    parts.push(
      html`<form method="post" action="/edoc/doc/${d.id}/status" class="stack">
        ${csrfField(v)}
        <h2>${v.t('dcSetStatus')}</h2>
        ${err('code')}
        <div class="field">
          <label for="dc-code">${v.t('dcNewStatus')}</label>
          <select id="dc-code" name="code">
            ${d.may.next_statuses.map((c) => html`<option value="${c}">${c} · ${v.msg(STATUS[c]!)}</option>`)}
          </select>
        </div>
        <div class="field"><label for="dc-description">${v.t('dcNote')}</label><input id="dc-description" name="description" /></div>
        <button type="submit" class="button">${v.t('dcSave')}</button>
      </form>`,
    );
  if (d.may.recall)
    parts.push(
      html`<form method="post" action="/edoc/doc/${d.id}/recall" class="stack" data-confirm="${v.t('dcRecallConfirm')}">
        ${csrfField(v)}
        <h2>${v.t('dcRecall')}</h2>
        ${err('reason')}
        <div class="field"><label for="dc-recall-reason">${v.t('dcReason')}</label><input id="dc-recall-reason" name="reason" required /></div>
        <button type="submit" class="button button-danger">${v.t('dcRecall')}</button>
      </form>`,
    );
  if (d.may.update)
    parts.push(
      html`<form method="post" action="/edoc/doc/${d.id}/update" class="stack">
        ${csrfField(v)}
        <h2>${v.t('dcUpdate')}</h2>
        <div class="field">
          <label for="dc-up-subject">${v.t('dcSubject')}</label><textarea id="dc-up-subject" name="subject" rows="2">${d.subject}</textarea>
        </div>
        <div class="field"><label for="dc-up-due">${v.t('dcDue')}</label><input id="dc-up-due" name="due_date" value="${dmy(d.due_date)}" /></div>
        <div class="field"><label for="dc-up-reason">${v.t('dcReason')}</label><input id="dc-up-reason" name="reason" required /></div>
        <button type="submit" class="button">${v.t('dcUpdate')}</button>
      </form>`,
    );
  if (d.may.replace) parts.push(html`<p><a class="button" href="/edoc/org/${d.org_id}/compose?replaces=${d.id}">${v.t('dcReplace')}</a></p>`);
  return html`${parts}`;
}

function page(v: DocumentsView, d: DocumentView, notice?: string, error?: FormError): Html {
  const number = numberOf(d);
  const box = d.box === 'inbox' ? v.t('dcInbox') : v.t('dcOutbox');
  const pending =
    d.box === 'inbox' && d.pending_action
      ? html`<div class="alert alert-warning" role="status">${v.t(d.pending_action === '1' ? 'dcPendingRecall' : 'dcPendingUpdate')}</div>`
      : '';
  const states = html`${d.recalled ? html`<div class="alert alert-warning">${v.t('dcRecalled')}</div>` : ''}
  ${d.replaced_by ? html`<div class="alert alert-warning">${v.t('dcReplacedBy')} <a href="/edoc/doc/${d.replaced_by}">${v.t('dcSeeNew')}</a></div>` : ''}
  ${d.replaces ? html`<p>${v.t('dcReplaces')} <a href="/edoc/doc/${d.replaces}">${v.t('dcSeeOld')}</a></p>` : ''}`;
  const recipients = dataTable({
    columns: [v.t('dcTo'), v.t('dcDelivery'), v.t('dcStatus')],
    rows: d.recipients.map(
      (r) =>
        html`<tr>
          <td>${r.organ_name} <code>${r.organ_id}</code></td>
          <td>${stateText(v, r.delivery)}</td>
          <td>
            ${statusText(v, r.status)}${r.status_description ? html` — ${r.status_description}` : ''}${r.recalled ? html` <span class="badge">${v.t('dcRecall')}</span>` : ''}
          </td>
        </tr>`,
    ),
  });
  const deliveries = d.deliveries.filter((x) => x.state === 'dead' || (x.state === 'pending' && x.attempts > 0));
  const body = html`<h1>${number} · ${d.subject}</h1>
    ${pending} ${states}
    <dl class="details">
      ${dlRow(v.t('dcFrom'), `${d.from_name} (${d.from_organ})`)} ${dlRow(v.t('dcNumber'), number)} ${dlRow(v.t('dcDate'), dmy(d.promulgation_date))}
      ${dlRow(v.t('dcType'), d.type_name)} ${dlRow(v.t('dcPriority'), v.msg(PRIORITIES[String(d.priority)] ?? PRIORITIES['0']!))}
      ${dlRow(v.t('dcDue'), dmy(d.due_date))}
      ${dlRow(v.t('dcSignerName'), [d.signer.Competence, d.signer.Position, d.signer.FullName].filter(Boolean).join(' · '))}
      ${d.box === 'inbox' ? dlRow(v.t('dcStatus'), statusText(v, d.status)) : ''} ${dlRow('DocumentId', html`<code>${d.document_id}</code>`)}
    </dl>
    ${d.content ? html`<p>${d.content}</p>` : ''}
    <section aria-labelledby="att-h">
      <h2 id="att-h">${v.t('dcAttachments')}</h2>
      ${
        d.attachments.length
          ? html`<ul>
              ${d.attachments.map((a) => html`<li><a href="/api/v1/documents/${d.id}/attachments/${a.n}">${a.name}</a> (${a.content_type}, ${Math.ceil(a.size / 1024)} KB)</li>`)}
            </ul>`
          : html`<p>—</p>`
      }
      <p><a href="/api/v1/documents/${d.id}/package">${v.t('dcPackage')}</a></p>
    </section>
    <section aria-labelledby="sig-h">
      <h2 id="sig-h">${v.t('dcSignature')}</h2>
      ${signature(v, d)}
    </section>
    ${
      d.box === 'outbox'
        ? html`<section aria-labelledby="rec-h">
            <h2 id="rec-h">${v.t('dcRecipients')}</h2>
            ${recipients}
          </section>`
        : ''
    }
    ${
      deliveries.length
        ? html`<section aria-labelledby="del-h">
            <h2 id="del-h">${v.t('dcDelivery')}</h2>
            <ul>
              ${deliveries.map(
                (x) =>
                  html`<li>
                    ${x.kind} → <code>${x.to_organ}</code>: ${stateText(v, x.state)}, ${v.t('dcAttempts', { n: x.attempts })} — ${x.last_error ?? ''}
                    ${
                      x.state === 'dead' && d.may.handle
                        ? html`<form method="post" action="/edoc/deliveries/${x.id}/retry" class="inline-form">
                            ${csrfField(v)}<button type="submit" class="button">${v.t('dcRetry')}</button>
                          </form>`
                        : ''
                    }
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    ${actions(v, d, error)}
    <section aria-labelledby="tl-h">
      <h2 id="tl-h">${v.t('dcTimeline')}</h2>
      ${dataTable({
        columns: [v.t('dcWhen'), v.t('dcEvent'), v.t('dcStatus'), v.t('dcWho')],
        rows: d.events.map(
          (e) =>
            html`<tr>
              <td>${formatDate(e.at, v.lang)}</td>
              <td>${eventText(v, e.kind)}${e.organ_id ? html` <code>${e.organ_id}</code>` : ''}${e.description ? html` — ${e.description}` : ''}</td>
              <td>${e.code ? statusText(v, e.code) : ''}</td>
              <td>${e.actor ?? ''}</td>
            </tr>`,
        ),
      })}
    </section>`;
  return documentsPage(v, { title: `${number} · ${box}`, body, notice, crumbs: [{ label: box }, { label: number }] });
}

/** One document's page, and the forms on it: status, recall, update, retry. */
export function documentPages(web: App, ctx: ModuleContext, deps: DocsDeps): void {
  const { db } = ctx;
  const load = async (id: string, principal: Parameters<typeof documentView>[1]) => {
    if (!UUID_RE.test(id)) throw notFound('not_found', { vi: 'Không có văn bản này.', en: 'No such document.' });
    return documentView(db, principal, id);
  };
  web.get<{ Params: { id: string }; Querystring: { msg?: string } }>('/edoc/doc/:id', signedIn, async (req, reply) => {
    const v = viewOf(req, DOCUMENTS_MESSAGES);
    const d = await load(req.params.id, req.principal);
    const notice = req.query.msg === 'sent' ? v.t('dcSent') : req.query.msg === 'saved' ? v.t('dcDone') : undefined;
    return sendHtml(reply, page(v, d, notice));
  });
  const post = (path: string, run: (id: string, body: Record<string, unknown>, req: FastifyRequest) => Promise<unknown>) =>
    web.post<{ Params: { id: string } }>(path, signedIn, async (req, reply) => {
      const v = viewOf(req, DOCUMENTS_MESSAGES);
      const id = req.params.id;
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        await run(id, body, req);
        return reply.redirect(`/edoc/doc/${id}?msg=saved`, 303);
      } catch (e) {
        const { status, error } = formErrorOf(e, v);
        return sendHtml(reply, page(v, await load(id, req.principal), undefined, error), status);
      }
    });
  post('/edoc/doc/:id/status', (id, b, req) =>
    setStatus(deps, req.principal, actorOf(req), id, { code: field(b, 'code'), description: field(b, 'description') }),
  );
  post('/edoc/doc/:id/recall', (id, b, req) => requestAction(deps, req.principal, actorOf(req), id, '1', field(b, 'reason')));
  post('/edoc/doc/:id/update', (id, b, req) =>
    requestAction(deps, req.principal, actorOf(req), id, '2', field(b, 'reason'), { subject: field(b, 'subject'), due_date: field(b, 'due_date') }),
  );
  web.post<{ Params: { id: string } }>('/edoc/deliveries/:id/retry', signedIn, async (req, reply) => {
    if (!UUID_RE.test(req.params.id)) throw notFound('not_found', { vi: 'Không có lượt gửi này.', en: 'No such delivery.' });
    const d = await retryDelivery(deps, req.principal, actorOf(req), req.params.id);
    return reply.redirect(d.document ? `/edoc/doc/${d.document}?msg=saved` : '/edoc', 303);
  });
}
