/** The knowledge base the hotline answers consultations from: search, edit, add. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, Space, Tag, TreeSelect } from 'antd';
import { PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi, useDebounced, useIsPhone } from '../../api/hooks';
import type { Category, Knowledge } from '../../api/types';
import { useT } from '../../i18n';
import { LoadState } from '../../shell/States';
import { categoryTree } from '../../catalogue/categoryTree';

type Values = { title: string; answer: string; category?: string | null };

export function KnowledgeEditor() {
  const { t } = useT();
  const { message } = App.useApp();
  const phone = useIsPhone();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const list = useApi<{ items: Knowledge[] }>(`/knowledge?q=${encodeURIComponent(query)}`);
  const categories = useApi<Category[]>('/categories');
  const tree = useMemo(() => categoryTree(categories.data), [categories.data]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [form] = Form.useForm<Values>();
  const current = list.data?.items.find((k) => k.id === selected) ?? null;

  useEffect(() => {
    if (!creating && current) form.setFieldsValue({ title: current.title, answer: current.answer, category: current.category });
  }, [current, creating, form]);

  const save = async (v: Values) => {
    setBusy(true);
    setError(null);
    const body = { title: v.title.trim(), answer: v.answer.trim(), category: v.category ?? null };
    try {
      if (creating) {
        const k = await api<Knowledge>('/knowledge', { method: 'POST', body });
        list.setData((old) => ({ items: [k, ...(old?.items ?? [])] }));
        setCreating(false);
        setSelected(k.id);
      } else if (current) {
        const k = await api<Knowledge>(`/knowledge/${encodeURIComponent(current.id)}`, { method: 'PATCH', body: { version: current.version, ...body } });
        list.setData((old) => ({ items: (old?.items ?? []).map((x) => (x.id === k.id ? k : x)) }));
        setConflict(false);
      }
      message.success(t('admin.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.versionConflict) {
        setConflict(true);
        list.reload();
      } else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="kb-heading">
      <div className="panel-head">
        <h2 id="kb-heading">{t('admin.knowledge')}</h2>
        <div className="spacer" />
        <Button
          icon={<PlusOutlined />}
          onClick={() => {
            setCreating(true);
            setSelected(null);
            setError(null);
            form.resetFields();
          }}
        >
          {t('admin.kb.new')}
        </Button>
      </div>
      <div className={`split ${phone ? 'stack' : ''}`}>
        <div className="split-side">
          <Input.Search placeholder={t('admin.kb.search')} aria-label={t('admin.kb.search')} value={q} onChange={(e) => setQ(e.target.value)} allowClear />
          <LoadState
            loading={list.loading}
            error={list.error}
            onRetry={list.reload}
            hasData={list.data !== undefined}
            empty={list.data?.items.length === 0}
            emptyText={query ? t('admin.kb.noMatch') : t('admin.kb.empty')}
          >
            <ul className="kb-list">
              {list.data?.items.map((k) => (
                <li key={k.id}>
                  <button
                    type="button"
                    className={`kb-item ${k.id === selected ? 'active' : ''}`}
                    onClick={() => {
                      setCreating(false);
                      setConflict(false);
                      setError(null);
                      setSelected(k.id);
                    }}
                  >
                    <b>{k.title}</b>
                    <span className="muted small">{k.answer.slice(0, 60)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </LoadState>
        </div>
        <div className="split-main">
          {!creating && !current ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.kb.pick')} />
          ) : (
            <>
              {conflict && <Alert type="warning" showIcon title={t('admin.conflict')} description={t('admin.conflictHint')} style={{ marginBottom: 12 }} />}
              {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
              <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
                <Form.Item name="title" label={t('admin.kb.title')} rules={[{ required: true, whitespace: true, message: t('admin.kb.titleRequired') }]}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="category" label={t('intake.category')}>
                  <TreeSelect treeData={tree} allowClear showSearch={{ treeNodeFilterProp: 'title' }} placeholder={t('intake.categoryPlaceholder')} />
                </Form.Item>
                <Form.Item name="answer" label={t('admin.kb.answer')} rules={[{ required: true, whitespace: true, message: t('admin.kb.answerRequired') }]}>
                  <Input.TextArea rows={10} maxLength={4000} showCount />
                </Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                    {creating ? t('admin.kb.create') : t('btn.save')}
                  </Button>
                  {current && !creating && <Tag>v{current.version}</Tag>}
                </Space>
              </Form>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
