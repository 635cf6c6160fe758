import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../api/hooks';
import { ErrorBanner } from './ui';

/**
 * A modal on the native <dialog>: the browser traps focus inside, Escape closes it, and focus
 * returns to what opened it.
 */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={wide ? 'wide' : undefined}
      onCancel={(e) => (e.preventDefault(), onClose())}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="link" onClick={onClose} aria-label="Close dialog">
              ×
            </button>
          </header>
          {children}
        </>
      )}
    </dialog>
  );
}

/**
 * A form in a dialog: submit runs `onSubmit`, whose failure shows the API's errortext and keeps
 * the dialog open; success closes it.
 */
export function FormDialog({
  title,
  open,
  onClose,
  onSubmit,
  submitLabel,
  children,
  danger,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => Promise<unknown>;
  submitLabel: string;
  children?: ReactNode;
  danger?: boolean;
  wide?: boolean;
}) {
  const { busy, error, run, clear } = useAction();
  const close = () => {
    clear();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let ok = false;
    await run(async () => {
      await onSubmit();
      ok = true;
    });
    if (ok) close();
  };
  return (
    <Dialog title={title} open={open} onClose={close} wide={wide}>
      <form onSubmit={submit}>
        {children}
        <ErrorBanner error={error} />
        <footer className="dialog-footer">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy} aria-busy={busy || undefined}>
            {busy ? `${submitLabel}…` : submitLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

/** "Are you sure?" for anything that changes or removes a resource. */
export function Confirm({
  title,
  message,
  confirmLabel,
  open,
  onClose,
  onConfirm,
  danger = true,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  open: boolean;
  onClose: () => void;
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
}) {
  return (
    <FormDialog
      title={title}
      open={open}
      onClose={onClose}
      onSubmit={onConfirm}
      submitLabel={confirmLabel}
      danger={danger}
    >
      <p>{message}</p>
    </FormDialog>
  );
}
