import { FileUpload as FileUploadModule } from 'nhsuk-frontend';
import { forwardRef, useEffect, useImperativeHandle, useRef, type InputHTMLAttributes } from 'react';

interface FileUploadFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> {
  id: string;
  label: string;
  hint?: string;
  error?: string | null;
  i18n?: {
    chooseFilesButton: string;
    dropInstruction: string;
    noFileChosen: string;
    multipleFilesChosen: { one: string; other: string };
  };
}

/**
 * The NHS.UK file upload (a drop zone with a "Choose files" button), built so React and
 * nhsuk-frontend's script never fight over the DOM: the script wraps and moves the
 * <input>, so it gets a box of its own whose only child is that input, and React puts the
 * label, hint and error message outside it. (nhsuk-react-components' FileUpload makes
 * the whole form group the script's root, and React then crashes when an error message
 * appears.)
 */
export const FileUploadField = forwardRef<HTMLInputElement, FileUploadFieldProps>(function FileUploadField(
  { id, label, hint, error, i18n, className, ...inputProps },
  forwardedRef,
) {
  const rootRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const started = useRef(false);
  useImperativeHandle(forwardedRef, () => inputRef.current as HTMLInputElement, []);

  useEffect(() => {
    if (started.current || !rootRef.current) return;
    started.current = true;
    new FileUploadModule(rootRef.current, i18n ? { i18n } : {});
  }, [i18n]);

  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;

  // The script copied aria-describedby to its drop button when it started; keep it current.
  useEffect(() => {
    const button = rootRef.current?.querySelector('.nhsuk-file-upload__drop-button');
    if (!button) return;
    if (describedBy) button.setAttribute('aria-describedby', describedBy);
    else button.removeAttribute('aria-describedby');
  }, [describedBy]);

  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={hintId ?? undefined}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="nhsuk-error-message" id={errorId ?? undefined}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <div className="nhsuk-file-upload" data-module="nhsuk-file-upload" ref={rootRef}>
        <input
          {...inputProps}
          ref={inputRef}
          id={id}
          type="file"
          className={className ? `nhsuk-file-upload__input ${className}` : 'nhsuk-file-upload__input'}
          aria-describedby={describedBy}
        />
      </div>
    </div>
  );
});
