/** What the platform proposes while the agent types: category, place, lead unit, why, likely repeats, answers. */
import { useState } from 'react';
import { Button, Empty, Input, Progress, Spin, Tag, Tooltip } from 'antd';
import { BulbOutlined, CheckOutlined, EnvironmentOutlined, ApartmentOutlined, CopyOutlined, BookOutlined } from '@ant-design/icons';
import { useApi, useDebounced } from '../../api/hooks';
import type { Knowledge, Proposal } from '../../api/types';
import { useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';
import { StateTag } from '../../orders/OrderBits';

function Confidence({ value, label }: { value: number; label: string }) {
  const pct = Math.round((value <= 1 ? value * 100 : value) * 1) / 1;
  const color = pct >= 75 ? '#2e7d32' : pct >= 50 ? '#d46b08' : '#c62828';
  return (
    <div className="confidence" aria-label={`${label} ${pct.toFixed(0)}%`}>
      <Progress percent={pct} size="small" strokeColor={color} format={(p) => `${(p ?? 0).toFixed(0)}%`} />
    </div>
  );
}

type Props = {
  proposal: Proposal | null;
  loading: boolean;
  error: unknown;
  typing: boolean;
  isConsultation: boolean;
  chosenCategory: string | undefined;
  onPickCategory: (code: string) => void;
  onOpenOrder: (id: string) => void;
  onAnswer: (k: { id: string; title: string; answer: string }) => void;
  answering: string | null;
};

function KnowledgeSearch({ isConsultation, onAnswer, answering }: Pick<Props, 'isConsultation' | 'onAnswer' | 'answering'>) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const found = useApi<{ items: Knowledge[] }>(query ? `/knowledge?q=${encodeURIComponent(query)}` : null);
  return (
    <div className="kb-search">
      <Input.Search placeholder={t('agent.kbSearch')} aria-label={t('agent.kbSearch')} value={q} onChange={(e) => setQ(e.target.value)} allowClear loading={found.loading} />
      {found.error ? <ErrorNotice error={found.error} compact /> : null}
      {found.data?.items.length === 0 && <p className="muted">{t('agent.kbNone')}</p>}
      {found.data?.items.slice(0, 5).map((k) => (
        <KnowledgeCard key={k.id} k={k} isConsultation={isConsultation} onAnswer={onAnswer} answering={answering} />
      ))}
    </div>
  );
}

function KnowledgeCard({ k, score, isConsultation, onAnswer, answering }: { k: { id: string; title: string; answer: string }; score?: number } & Pick<Props, 'isConsultation' | 'onAnswer' | 'answering'>) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <div className="kb-card">
      <div className="kb-title">
        <BookOutlined aria-hidden="true" /> {k.title}
        {score !== undefined && <span className="muted"> · {Math.round(score * 100)}%</span>}
      </div>
      <p className={`kb-answer ${open ? 'open' : ''}`}>{k.answer}</p>
      <div className="kb-actions">
        <Button size="small" type="link" onClick={() => setOpen(!open)}>
          {open ? t('btn.collapse') : t('btn.expand')}
        </Button>
        <Tooltip title={isConsultation ? '' : t('agent.answerOnlyConsultation')}>
          <Button size="small" type="primary" ghost disabled={!isConsultation} loading={answering === k.id} onClick={() => onAnswer(k)}>
            {t('agent.answerAndClose')}
          </Button>
        </Tooltip>
      </div>
    </div>
  );
}

export function ProposalPanel(p: Props) {
  const { t } = useT();
  const { proposal, loading, error, typing } = p;
  return (
    <aside className="proposal-panel" aria-label={t('agent.proposal')} aria-busy={loading}>
      <div className="panel-head">
        <BulbOutlined aria-hidden="true" /> <h2>{t('agent.proposal')}</h2>
        {loading && <Spin size="small" />}
      </div>
      {error ? (
        <ErrorNotice error={error} compact />
      ) : !proposal ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={typing ? t('agent.proposalThinking') : t('agent.proposalEmpty')} />
      ) : (
        <div className="proposal-body" aria-live="polite">
          <section>
            <h3>{t('agent.category')}</h3>
            {proposal.category ? (
              <>
                <div className="proposal-main">
                  <b>{proposal.category.name}</b>
                  {p.chosenCategory === proposal.category.code && <CheckOutlined className="ok-icon" aria-label={t('agent.chosen')} />}
                </div>
                <Confidence value={proposal.category.confidence} label={t('agent.confidence')} />
                {proposal.category.alternatives.length > 0 && (
                  <div className="alternatives">
                    <span className="muted">{t('agent.alternatives')}</span>
                    {proposal.category.alternatives.map((a) => (
                      <Tag.CheckableTag key={a.code} checked={p.chosenCategory === a.code} onChange={() => p.onPickCategory(a.code)}>
                        {a.name} {Math.round((a.confidence <= 1 ? a.confidence * 100 : a.confidence))}%
                      </Tag.CheckableTag>
                    ))}
                  </div>
                )}
              </>
            ) : (
              <p className="muted">{t('agent.noCategory')}</p>
            )}
          </section>
          <section>
            <h3>
              <EnvironmentOutlined aria-hidden="true" /> {t('agent.place')}
            </h3>
            {proposal.location.district || proposal.location.street ? (
              <>
                <div className="proposal-main">
                  {[proposal.location.district?.name, proposal.location.street?.name, proposal.location.community?.name].filter(Boolean).join(' · ')}
                </div>
                <Confidence value={proposal.location.confidence} label={t('agent.confidence')} />
                {proposal.location.evidence.length > 0 && <div className="muted small">{t('agent.evidence')}：{proposal.location.evidence.join('、')}</div>}
              </>
            ) : (
              <p className="muted">{t('agent.noPlace')}</p>
            )}
          </section>
          <section>
            <h3>
              <ApartmentOutlined aria-hidden="true" /> {t('agent.leadUnit')}
            </h3>
            {proposal.leadUnit ? (
              <div className="proposal-main">
                <b>{proposal.leadUnit.name}</b>
                {proposal.coUnits.length > 0 && <div className="muted small">{t('agent.coUnits')}：{proposal.coUnits.map((u) => u.name).join('、')}</div>}
              </div>
            ) : (
              <p className="muted">{t('agent.noLead')}</p>
            )}
            {proposal.explanation.length > 0 && (
              <ul className="explanation">
                {proposal.explanation.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            )}
          </section>
          {proposal.repeats.length > 0 && (
            <section className="repeats">
              <h3>
                <CopyOutlined aria-hidden="true" /> {t('agent.repeats')}
              </h3>
              {proposal.repeats.map((r) => (
                <button key={r.id} type="button" className="repeat-row" onClick={() => p.onOpenOrder(r.id)}>
                  <span className="order-no">{r.no}</span>
                  <StateTag state={r.state} />
                  <span className="repeat-title">{r.title}</span>
                  <span className={`similarity ${r.similarity >= 0.8 ? 'high' : ''}`}>{Math.round(r.similarity * 100)}%</span>
                </button>
              ))}
            </section>
          )}
          {proposal.knowledge.length > 0 && (
            <section>
              <h3>
                <BookOutlined aria-hidden="true" /> {t('agent.knowledge')}
              </h3>
              {proposal.knowledge.map((k) => (
                <KnowledgeCard key={k.id} k={k} score={k.score} isConsultation={p.isConsultation} onAnswer={p.onAnswer} answering={p.answering} />
              ))}
            </section>
          )}
        </div>
      )}
      {p.isConsultation && (
        <section className="kb-section">
          <h3>
            <BookOutlined aria-hidden="true" /> {t('agent.kbHeading')}
          </h3>
          <KnowledgeSearch isConsultation={p.isConsultation} onAnswer={p.onAnswer} answering={p.answering} />
        </section>
      )}
    </aside>
  );
}
