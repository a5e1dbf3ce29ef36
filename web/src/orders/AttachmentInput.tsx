/** Photos, PDFs and recordings for a request or reply: uploaded at once to `/attachments`, ids kept in the form. */
import { useEffect, useState } from 'react';
import { App, Upload, type UploadFile } from 'antd';
import { CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import { api, errorText, fileUrl } from '../api/client';
import type { Attachment } from '../api/types';
import { useT } from '../i18n';

const MAX_BYTES = 10 * 1024 * 1024;

type Props = {
  id?: string;
  /** Attachment ids (what the API wants). */
  value?: string[];
  onChange?: (ids: string[]) => void;
  /** Photo-first (camera on phones) or any allowed file. */
  photo?: boolean;
  max?: number;
};

export function AttachmentInput({ id, value = [], onChange, photo, max = 9 }: Props) {
  const { t } = useT();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile<Attachment>[]>([]);
  const sync = (list: UploadFile<Attachment>[]) => {
    setFiles(list);
    onChange?.(list.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id));
  };
  return (
    <div id={id}>
      <Upload<Attachment>
        listType={photo ? 'picture-card' : 'text'}
        accept={photo ? 'image/*' : 'image/*,application/pdf,audio/*'}
        multiple
        fileList={files}
        maxCount={max}
        beforeUpload={(file) => {
          if (file.size > MAX_BYTES) {
            message.error(t('attach.tooLarge', { name: file.name }));
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError, onProgress }) => {
          const fd = new FormData();
          fd.append('file', file as Blob);
          onProgress?.({ percent: 30 });
          api<Attachment>('/attachments', { method: 'POST', body: fd }).then(
            (a) => onSuccess?.(a),
            (err: unknown) => {
              message.error(`${t('attach.failed')}：${errorText(err)}`);
              onError?.(err as Error);
            },
          );
        }}
        onChange={({ fileList }) => sync(fileList.filter((f) => f.status !== 'error'))}
      >
        {files.length >= max ? null : photo ? (
          <div className="upload-tile">
            <CameraOutlined style={{ fontSize: 22 }} aria-hidden="true" />
            <div>{t('attach.addPhoto')}</div>
          </div>
        ) : (
          <button type="button" className="upload-link">
            <PaperClipOutlined aria-hidden="true" /> {t('attach.add')}
          </button>
        )}
      </Upload>
      {value.length === 0 && files.length === 0 && <div className="field-hint">{t(photo ? 'attach.photoHint' : 'attach.hint')}</div>}
    </div>
  );
}

/** An image thumbnail fetched with the sign-in token; opens full size in a new tab. */
function Thumb({ a }: { a: Attachment }) {
  const { t } = useT();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    fileUrl(a.url).then(
      (u) => live && setSrc(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [a.url]);
  if (failed) return <span className="attachment-thumb broken" title={a.name}>{t('attach.loadFailed')}</span>;
  return (
    <a href={src ?? undefined} target="_blank" rel="noreferrer" className="attachment-thumb" title={a.name} aria-busy={!src}>
      {src ? <img src={src} alt={a.name} /> : <span className="thumb-wait" aria-label={t('state.loading')} />}
    </a>
  );
}

/** A document or recording: fetched with the sign-in token when clicked, then opened. */
function FileLink({ a }: { a: Attachment }) {
  const { message } = App.useApp();
  const open = () => {
    // Open the tab at once (a popup opened after an await is blocked), then point it at the file.
    const tab = window.open('', '_blank');
    fileUrl(a.url).then(
      (u) => {
        if (tab) tab.location.href = u;
        else window.location.assign(u);
      },
      (err: unknown) => {
        tab?.close();
        message.error(errorText(err));
      },
    );
  };
  return (
    <button type="button" className="attachment-link" onClick={open}>
      <PaperClipOutlined aria-hidden="true" /> {a.name} <span className="muted">({Math.ceil(a.size / 1024)} KB)</span>
    </button>
  );
}

/** Show attachments: thumbnails for images, links for the rest. */
export function AttachmentView({ items }: { items: Attachment[] }) {
  const { t } = useT();
  if (!items.length) return null;
  return (
    <div className="attachments">
      {items.map((a) => (a.type.startsWith('image/') ? <Thumb key={a.id} a={a} /> : <FileLink key={a.id} a={a} />))}
      <span className="sr-only">{t('attach.count', { n: items.length })}</span>
    </div>
  );
}
