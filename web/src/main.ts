// Progressive enhancement only: every page works without this script.
import './styles.css';

/** Copy buttons: `data-copy` names the input whose value is copied. */
function enhanceCopyButtons(): void {
  document.querySelectorAll<HTMLButtonElement>('button[data-copy]').forEach((button) => {
    const target = document.querySelector<HTMLInputElement>(button.dataset.copy ?? '');
    if (!target || !navigator.clipboard) return;
    const label = button.textContent ?? '';
    button.hidden = false;
    button.addEventListener('click', () => {
      target.select();
      navigator.clipboard.writeText(target.value).then(
        () => {
          button.textContent = button.dataset.copiedLabel ?? label;
          window.setTimeout(() => (button.textContent = label), 2000);
        },
        () => target.select(),
      );
    });
  });
}

/** Forms with `data-confirm` ask before submitting (e.g. revoking a token). */
function enhanceConfirmations(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? '')) event.preventDefault();
    });
  });
}

/** Brings a freshly created token into view and focus so it is announced. */
function focusNewToken(): void {
  document.getElementById('new-token')?.focus();
}

/** "Sở Tài nguyên và Môi trường" → "so-tai-nguyen-va-moi-truong" (mirrors the server's slugify). */
function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90)
    .replace(/-+$/g, '');
}

/** URL-name inputs with `data-slug-from` follow the title until the editor types a name of their own. */
function enhanceSlugInputs(): void {
  document.querySelectorAll<HTMLInputElement>('input[data-slug-from]').forEach((name) => {
    const title = document.getElementById(name.dataset.slugFrom ?? '') as HTMLInputElement | null;
    if (!title) return;
    let auto = name.value === '' || name.value === slugify(title.value);
    name.addEventListener('input', () => (auto = name.value === ''));
    title.addEventListener('input', () => {
      if (auto) name.value = slugify(title.value);
    });
  });
}

const FACET_FOCUS = 'tinhso:facet-focus';

/** Facet checkboxes apply at once; focus comes back to the same checkbox after the reload. */
function enhanceFacets(): void {
  const form = document.querySelector<HTMLFormElement>('form#dataset-search');
  if (!form) return;
  const back = sessionStorage.getItem(FACET_FOCUS);
  if (back) {
    sessionStorage.removeItem(FACET_FOCUS);
    document.getElementById(back)?.focus();
  }
  form.querySelectorAll<HTMLInputElement>('.facet input[type=checkbox]').forEach((box) => {
    box.addEventListener('change', () => {
      sessionStorage.setItem(FACET_FOCUS, box.id);
      form.requestSubmit();
    });
  });
}

/**
 * Upload forms with `data-upload-progress` send through XMLHttpRequest to show progress; the server
 * answers as for a plain POST (a redirect, or the form again with errors), which is then shown.
 */
function enhanceUploads(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-upload-progress]').forEach((form) => {
    const box = form.querySelector<HTMLElement>('.upload-progress');
    const bar = form.querySelector<HTMLProgressElement>('progress');
    const text = form.querySelector<HTMLElement>('.upload-percent');
    if (!box || !bar || !text || typeof FormData === 'undefined') return;
    form.addEventListener('submit', (event) => {
      const file = form.querySelector<HTMLInputElement>('input[type=file]');
      if (!file?.files?.length) return; // links only: a plain POST is quick
      event.preventDefault();
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
      if (button) button.disabled = true;
      box.hidden = false;
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        const pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        bar.textContent = `${pct}%`;
        text.textContent = `${text.dataset.uploadingLabel ?? ''} ${pct}%`;
      };
      xhr.onload = () => {
        const json = (xhr.getResponseHeader('content-type') ?? '').includes('application/json');
        if (xhr.status < 400 && json) {
          bar.value = 100;
          text.textContent = '100%';
          window.location.assign((JSON.parse(xhr.responseText) as { location: string }).location);
          return;
        }
        // The form again, with its errors: shown as the plain POST would show it.
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = () => {
        // Network trouble: nothing was saved; the editor can try again (or without script, a plain POST).
        box.hidden = true;
        if (button) button.disabled = false;
        text.textContent = '';
      };
      xhr.setRequestHeader('X-Upload-Progress', '1');
      xhr.send(new FormData(form));
    });
  });
}

enhanceCopyButtons();
enhanceConfirmations();
focusNewToken();
enhanceSlugInputs();
enhanceFacets();
enhanceUploads();
