/** The dispatch catalogue: a tree to pick from and a form to edit; saves with the version it read (optimistic). */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, Radio, Select, Space, Switch, Tag, Tree } from 'antd';
import { MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import { useApi, useIsPhone } from '../../api/hooks';
import type { Category, Handling, Urgency } from '../../api/types';
import { urgencies } from '../../api/types';
import { useT } from '../../i18n';
import { LoadState } from '../../shell/States';

type Values = {
  code: string;
  parent: string | null;
  name: string;
  handling: Handling;
  urgency: Urgency;
  deptLevel?: 'city' | 'district' | '';
  deptAbbr?: string;
  coUnits: { level: 'city' | 'district' | 'street'; abbr?: string }[];
  keywords: string[];
  active: boolean;
};

type TreeItem = { key: string; title: React.ReactNode; children?: TreeItem[] };

function toValues(c: Category): Values {
  return {
    code: c.code,
    parent: c.parent,
    name: c.name,
    handling: c.handling,
    urgency: c.urgency,
    deptLevel: c.department?.level ?? '',
    deptAbbr: c.department?.abbr ?? '',
    coUnits: c.coUnits,
    keywords: c.keywords,
    active: c.active,
  };
}

function toBody(v: Values) {
  return {
    name: v.name.trim(),
    handling: v.handling,
    urgency: v.urgency,
    department: v.deptLevel && v.deptAbbr?.trim() ? { level: v.deptLevel, abbr: v.deptAbbr.trim() } : null,
    coUnits: (v.coUnits ?? []).map((c) => ({ level: c.level, ...(c.abbr?.trim() ? { abbr: c.abbr.trim() } : {}) })),
    keywords: v.keywords ?? [],
    active: v.active,
  };
}

export function CategoryEditor() {
  const { t } = useT();
  const { message } = App.useApp();
  const phone = useIsPhone();
  const list = useApi<Category[]>('/categories?all=true');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [form] = Form.useForm<Values>();
  const current = list.data?.find((c) => c.code === selected) ?? null;

  useEffect(() => {
    if (creating) return;
    if (current) form.setFieldsValue(toValues(current));
  }, [current, creating, form]);

  const tree = useMemo(() => {
    const cats = list.data ?? [];
    const f = filter.trim();
    const keep = new Set<string>();
    if (f) {
      for (const c of cats)
        if (c.name.includes(f) || c.code.includes(f.toUpperCase()) || c.keywords.some((k) => k.includes(f))) {
          let p: string | null = c.code;
          while (p) {
            keep.add(p);
            p = cats.find((x) => x.code === p)?.parent ?? null;
          }
        }
    }
    const build = (parent: string | null): TreeItem[] =>
      cats
        .filter((c) => c.parent === parent && (!f || keep.has(c.code)))
        .map((c) => {
          const children = build(c.code);
          return {
            key: c.code,
            title: (
              <span className={c.active ? '' : 'inactive'}>
                {c.name} <span className="muted small">{c.code}</span>
                {!c.active && <Tag style={{ marginLeft: 4 }}>{t('admin.cat.inactive')}</Tag>}
              </span>
            ),
            ...(children.length ? { children } : {}),
          };
        });
    return build(null);
  }, [list.data, filter, t]);

  const startCreate = () => {
    setCreating(true);
    setError(null);
    setConflict(false);
    form.resetFields();
    form.setFieldsValue({ parent: selected, handling: current?.handling ?? 'territorial', urgency: current?.urgency ?? 'general', coUnits: [], keywords: [], active: true, code: selected ? `${selected}.` : '' });
  };

  const save = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (creating) {
        const created = await api<Category>('/categories', { method: 'POST', body: { code: v.code.trim(), parent: v.parent ?? null, ...toBody(v) } });
        list.setData((old) => [...(old ?? []), created]);
        setCreating(false);
        setSelected(created.code);
        message.success(t('admin.cat.created', { name: created.name }));
      } else if (current) {
        const before = current;
        const body = toBody(v);
        // Show the change at once; put it back if the server says no.
        list.setData((old) => old?.map((c) => (c.code === before.code ? { ...c, ...body } : c)));
        try {
          const saved = await api<Category>(`/categories/${encodeURIComponent(before.code)}`, { method: 'PATCH', body: { version: before.version, ...body } });
          list.setData((old) => old?.map((c) => (c.code === saved.code ? saved : c)));
          setConflict(false);
          message.success(t('admin.saved'));
        } catch (err) {
          list.setData((old) => old?.map((c) => (c.code === before.code ? before : c)));
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof ApiError && (err.versionConflict || err.status === 409) && !creating) {
        setConflict(true);
        list.reload();
      } else {
        if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: f.field as keyof Values, errors: [f.reason] })));
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const editing = creating || current !== null;

  return (
    <section className="panel" aria-labelledby="cat-heading">
      <div className="panel-head">
        <h2 id="cat-heading">{t('admin.categories')}</h2>
        <div className="spacer" />
        <Button icon={<PlusOutlined />} onClick={startCreate}>
          {selected ? t('admin.cat.newChild') : t('admin.cat.new')}
        </Button>
      </div>
      <LoadState loading={list.loading} error={list.error} onRetry={list.reload} hasData={list.data !== undefined}>
        <div className={`split ${phone ? 'stack' : ''}`}>
          <div className="split-side">
            <Input.Search placeholder={t('admin.cat.search')} aria-label={t('admin.cat.search')} value={filter} onChange={(e) => setFilter(e.target.value)} allowClear />
            <div className="tree-box">
              {tree.length ? (
                <Tree
                  treeData={tree}
                  selectedKeys={selected ? [selected] : []}
                  onSelect={(keys) => {
                    setCreating(false);
                    setError(null);
                    setConflict(false);
                    setSelected((keys[0] as string | undefined) ?? null);
                  }}
                  defaultExpandedKeys={filter ? undefined : []}
                  {...(filter ? { expandedKeys: tree.flatMap(function walk(n: TreeItem): string[] { return [n.key, ...(n.children ?? []).flatMap(walk)]; }) } : {})}
                  blockNode
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.cat.noMatch')} />
              )}
            </div>
          </div>
          <div className="split-main">
            {!editing ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.cat.pick')} />
            ) : (
              <>
                {conflict && <Alert type="warning" showIcon title={t('admin.conflict')} description={t('admin.conflictHint')} style={{ marginBottom: 12 }} />}
                {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
                <Form form={form} layout="vertical" onFinish={() => void save()}>
                  <div className="form-row">
                    <Form.Item name="code" label={t('admin.cat.code')} className="grow" rules={[{ required: true, pattern: /^[A-Z]{1,4}(\.\d{2}){0,3}$/, message: t('admin.cat.codeRule') }]}>
                      <Input disabled={!creating} />
                    </Form.Item>
                    <Form.Item name="parent" label={t('admin.cat.parent')} className="grow">
                      <Input disabled placeholder={t('admin.cat.topLevel')} />
                    </Form.Item>
                    {!creating && current && (
                      <Form.Item label={t('admin.version')}>
                        <Tag>v{current.version}</Tag>
                      </Form.Item>
                    )}
                  </div>
                  <Form.Item name="name" label={t('admin.cat.name')} rules={[{ required: true, whitespace: true, max: 40 }]}>
                    <Input />
                  </Form.Item>
                  <div className="form-row">
                    <Form.Item name="handling" label={t('admin.cat.handling')}>
                      <Radio.Group optionType="button" options={(['territorial', 'sectoral', 'district'] as const).map((h) => ({ value: h, label: t(`handling.${h}`) }))} />
                    </Form.Item>
                    <Form.Item name="urgency" label={t('intake.urgency')} className="w-urgency">
                      <Select options={urgencies.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
                    </Form.Item>
                  </div>
                  <Form.Item label={t('admin.cat.department')} extra={t('admin.cat.departmentHint')}>
                    <Space.Compact>
                      <Form.Item name="deptLevel" noStyle>
                        <Select
                          aria-label={t('admin.cat.deptLevel')}
                          style={{ width: 120 }}
                          options={[
                            { value: '', label: t('admin.cat.none') },
                            { value: 'city', label: t('level.city') },
                            { value: 'district', label: t('level.district') },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name="deptAbbr" noStyle>
                        <Input aria-label={t('admin.cat.deptAbbr')} placeholder="CGZF" style={{ width: 160 }} />
                      </Form.Item>
                    </Space.Compact>
                  </Form.Item>
                  <Form.List name="coUnits">
                    {(fields, { add, remove }) => (
                      <Form.Item label={t('admin.cat.coUnits')}>
                        {fields.map((f) => (
                          <Space key={f.key} align="baseline" className="co-row">
                            <Form.Item name={[f.name, 'level']} noStyle>
                              <Select aria-label={t('admin.cat.deptLevel')} style={{ width: 110 }} options={(['city', 'district', 'street'] as const).map((l) => ({ value: l, label: t(`level.${l}`) }))} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'abbr']} noStyle>
                              <Input aria-label={t('admin.cat.deptAbbr')} placeholder={t('admin.cat.abbrOptional')} style={{ width: 160 }} />
                            </Form.Item>
                            <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('btn.remove')} onClick={() => remove(f.name)} />
                          </Space>
                        ))}
                        {fields.length < 5 && (
                          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ level: 'district' })}>
                            {t('admin.cat.addCoUnit')}
                          </Button>
                        )}
                      </Form.Item>
                    )}
                  </Form.List>
                  <Form.Item name="keywords" label={t('admin.cat.keywords')} extra={t('admin.cat.keywordsHint')}>
                    <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} />
                  </Form.Item>
                  <Form.Item name="active" label={t('admin.cat.active')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                  <Space>
                    <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                      {creating ? t('admin.cat.create') : t('btn.save')}
                    </Button>
                    <Button
                      onClick={() => {
                        setError(null);
                        if (creating) setCreating(false);
                        else if (current) form.setFieldsValue(toValues(current));
                      }}
                    >
                      {t('btn.reset')}
                    </Button>
                  </Space>
                </Form>
              </>
            )}
          </div>
        </div>
      </LoadState>
    </section>
  );
}
