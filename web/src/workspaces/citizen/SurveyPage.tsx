/**
 * 回访评价: the page a citizen reaches from the survey link in an SMS — no sign-in, phone width. Shows the order and
 * the unit's reply (names and numbers masked) and takes the two answers once; expired, used or broken links say so.
 */
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button, Input, Radio, Result, Spin } from 'antd';
import { api, ApiError, errorText } from '../../api/client';
import { useApi } from '../../api/hooks';
import { formatTime, useT } from '../../i18n';
import { LangSwitch } from '../../shell/Shell';
import { assessmentText } from '../leader/assessmentText';
import './survey.css';

type Survey = {
  no: string;
  title: string;
  unit: string | null;
  reply: { text: string; at: string };
  contactName: string | null;
  expiresAt: string;
  resolutions: { value: string; label: string }[];
  satisfactions: { value: string; label: string }[];
};

type Done = { no: string; state: string; reopened: boolean };

function Frame({ children }: { children: React.ReactNode }) {
  const { lang } = useT();
  const tx = assessmentText(lang);
  return (
    <div className="survey-page">
      <header className="survey-head">
        <span className="brand-mark" aria-hidden="true">
          接
        </span>
        <div>
          <div className="survey-brand">{tx('survey.brand')}</div>
          <h1>{tx('survey.title')}</h1>
        </div>
        <div className="spacer" />
        <LangSwitch />
      </header>
      <main className="survey-body">{children}</main>
      <footer className="survey-foot muted small">{tx('survey.callUs')}</footer>
    </div>
  );
}

/** The link's failure in words a citizen understands (the API's message says the rest). */
function LinkProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { lang } = useT();
  const tx = assessmentText(lang);
  const code = error instanceof ApiError ? error.code : '';
  if (code === 'LINK_USED') return <Result status="success" title={tx('survey.used')} subTitle={errorText(error)} />;
  if (code === 'LINK_EXPIRED') return <Result status="warning" title={tx('survey.expired')} subTitle={errorText(error)} />;
  if (code === 'LINK_INVALID') return <Result status="error" title={tx('survey.invalid')} subTitle={errorText(error)} />;
  return (
    <Result
      status="error"
      title={errorText(error)}
      extra={
        <Button type="primary" onClick={onRetry}>
          {lang === 'zh' ? '重试' : 'Retry'}
        </Button>
      }
    />
  );
}

export default function SurveyPage() {
  const { token = '' } = useParams();
  const { lang } = useT();
  const tx = assessmentText(lang);
  const survey = useApi<Survey>(`/surveys/${encodeURIComponent(token)}`);
  const [resolution, setResolution] = useState<string | null>(null);
  const [satisfaction, setSatisfaction] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Done | null>(null);

  if (done)
    return (
      <Frame>
        <Result status="success" title={tx('survey.thanks')} subTitle={tx('survey.thanksBody', { no: done.no })} />
        {done.reopened && <Alert type="info" showIcon title={tx('survey.reopened')} />}
      </Frame>
    );
  if (survey.error) {
    return (
      <Frame>
        <LinkProblem error={survey.error} onRetry={survey.reload} />
      </Frame>
    );
  }
  const s = survey.data;
  if (!s)
    return (
      <Frame>
        <div className="centered" role="status">
          <Spin />
        </div>
      </Frame>
    );

  const submit = async () => {
    if (!resolution || !satisfaction) {
      setError(new Error(tx('survey.pick')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setDone(await api<Done>(`/surveys/${encodeURIComponent(token)}`, { body: { resolution, satisfaction, ...(note.trim() ? { note: note.trim() } : {}) } }));
    } catch (err) {
      if (err instanceof ApiError && err.code.startsWith('LINK_')) survey.reload();
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Frame>
      <section className="survey-card" aria-labelledby="survey-order">
        <div className="survey-meta muted small">
          {tx('survey.order')} <span className="order-no">{s.no}</span>
        </div>
        <h2 id="survey-order">{s.title}</h2>
        {s.unit && (
          <div className="muted small">
            {tx('survey.unit')}：{s.unit}
          </div>
        )}
        <div className="survey-reply">
          <div className="survey-label">
            {tx('survey.reply')} <span className="muted small">{formatTime(s.reply.at, lang, true)}</span>
          </div>
          <p>{s.reply.text}</p>
        </div>
      </section>
      <section className="survey-card" aria-label={tx('survey.title')}>
        <fieldset>
          <legend className="survey-label">{tx('survey.resolved')}</legend>
          <Radio.Group block optionType="button" buttonStyle="solid" size="large" value={resolution} onChange={(e) => setResolution(String(e.target.value))} options={s.resolutions.map((o) => ({ value: o.value, label: o.label }))} />
        </fieldset>
        <fieldset>
          <legend className="survey-label">{tx('survey.satisfied')}</legend>
          <Radio.Group block optionType="button" buttonStyle="solid" size="large" value={satisfaction} onChange={(e) => setSatisfaction(String(e.target.value))} options={s.satisfactions.map((o) => ({ value: o.value, label: o.label }))} />
        </fieldset>
        <label className="survey-label" htmlFor="survey-note">
          {tx('survey.note')}
        </label>
        <Input.TextArea id="survey-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 5 }} placeholder={tx('survey.notePlaceholder')} />
        {error !== null && <Alert className="survey-error" type="error" showIcon role="alert" title={errorText(error)} />}
        <Button type="primary" size="large" block loading={busy} onClick={() => void submit()} className="survey-submit">
          {tx('survey.submit')}
        </Button>
        <p className="muted small">
          {tx('survey.expires', { at: formatTime(s.expiresAt, lang, true) })} · {tx('survey.privacy')}
        </p>
      </section>
    </Frame>
  );
}
