import { actorOf, requireSysadmin } from '../../../platform/auth/index.js';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import {
  csrfField,
  errorSummary,
  field,
  formErrorOf,
  requireSignedIn,
  sendHtml,
  textarea,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { applyRegistry } from '../registry/apply.js';
import { exportRegistry, registryYaml } from '../registry/export.js';
import { parseRegistryText } from '../routes.js';
import { EXCHANGE_MESSAGES, type ExchangeView } from './messages.js';
import { exchangePage } from './parts.js';

function body(v: ExchangeView, values: Values, error: FormError | undefined, result?: { changes: string[]; dryRun: boolean }): Html {
  const P = 'registry';
  const outcome = result
    ? html`<section class="panel" aria-labelledby="changes-h" role="status">
        <h2 id="changes-h">${v.t('xrChanges')}</h2>
        <p>
          ${result.changes.length === 0 ? v.t('xrNoChanges') : result.dryRun ? v.t('xrWouldApply', { n: result.changes.length }) : v.t('xrApplied', { n: result.changes.length })}
        </p>
        ${result.changes.length ? html`<pre class="xr-changes">${result.changes.join('\n')}</pre>` : ''}
      </section>`
    : '';
  return html`<h1>${v.t('xrRegistry')}</h1>
    <p>${v.t('xrRegistryIntro')}</p>
    ${outcome} ${errorSummary(v, error, P)}
    <form method="post" action="/exchange/registry" class="stack">
      ${csrfField(v)} ${textarea({ idPrefix: P, name: 'yaml', label: v.t('xrYaml'), values, error, rows: 24, monospace: true, required: true })}
      <div class="actions">
        <button type="submit" name="action" value="preview" class="button button-secondary">${v.t('xrPreview')}</button>
        <button type="submit" name="action" value="apply" class="button">${v.t('xrApply')}</button>
      </div>
    </form>`;
}

/** /exchange/registry: the registry file for sysadmins — edit, preview the changes, apply (the CLI's rules). */
export function registryPages(web: App, { db, box }: { db: Db; box: () => SecretBox }): void {
  web.get('/exchange/registry', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, EXCHANGE_MESSAGES);
    const yaml = registryYaml(await exportRegistry(db));
    return sendHtml(reply, exchangePage(v, { title: v.t('xrRegistry'), current: '/exchange/registry', body: body(v, { yaml }, undefined) }));
  });
  web.post('/exchange/registry', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, EXCHANGE_MESSAGES);
    const values: Values = { yaml: field(req.body, 'yaml') };
    const dryRun = field(req.body, 'action') !== 'apply';
    try {
      const r = await applyRegistry(db, box, parseRegistryText(values.yaml ?? ''), { baseDir: null, dryRun, actor: actorOf(req) });
      const shown = dryRun ? values : { yaml: registryYaml(await exportRegistry(db)) };
      return sendHtml(
        reply,
        exchangePage(v, { title: v.t('xrRegistry'), current: '/exchange/registry', body: body(v, shown, undefined, { changes: r.changes, dryRun }) }),
      );
    } catch (e) {
      const { status, error } = formErrorOf(e, v, {});
      // Errors name a path inside the file (members[0].code): shown against the text area.
      const shownError = error.field && error.field !== 'yaml' ? { ...error, message: `${error.field}: ${error.message}`, field: 'yaml' } : error;
      if (error.all) shownError.all = error.all.map((x) => ({ field: 'yaml', message: x.field ? `${x.field}: ${x.message}` : x.message }));
      return sendHtml(reply, exchangePage(v, { title: v.t('xrRegistry'), current: '/exchange/registry', body: body(v, values, shownError) }), status);
    }
  });
}
