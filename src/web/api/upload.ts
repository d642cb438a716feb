import { ApiError, getCsrfToken, notifyUnauthorised, toProblem } from './client';
import { urls } from './endpoints';
import type { ImportRun } from './types';

export interface UploadOptions {
  files: readonly File[];
  dryRun: boolean;
  skipInvalid: boolean;
  /** Bytes sent so far and the total, as the browser reports them. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Start an import: the files go up as multipart/form-data (fetch cannot report upload
 * progress, XMLHttpRequest can). The server answers 202 with the import run and carries on
 * validating and loading; poll {@link urls.importRun} until its status is not 'running'.
 */
export function uploadImport(options: UploadOptions): Promise<ImportRun> {
  const form = new FormData();
  // Fields first, so a streaming server reads the options before the file parts.
  form.append('dryRun', String(options.dryRun));
  form.append('skipInvalid', String(options.skipInvalid));
  for (const file of options.files) form.append('file', file, file.name);

  return new Promise<ImportRun>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', urls.imports);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);

    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    });

    xhr.addEventListener('load', () => {
      let body: unknown;
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const run = typeof body === 'object' && body !== null && 'import' in body ? (body as { import: ImportRun }).import : null;
        if (run) resolve(run);
        else reject(new ApiError({ title: 'Beacon gave an unexpected answer', status: xhr.status }));
        return;
      }
      if (xhr.status === 401) notifyUnauthorised();
      reject(new ApiError(toProblem(xhr.status, body)));
    });
    xhr.addEventListener('error', () =>
      reject(
        new ApiError({
          title: 'The upload failed',
          status: 0,
          detail: 'The connection to Beacon was lost before the files were sent. Check your network connection and try again.',
        }),
      ),
    );
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled', 'AbortError')));

    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('The upload was cancelled', 'AbortError'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
