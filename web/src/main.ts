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

enhanceCopyButtons();
enhanceConfirmations();
focusNewToken();
