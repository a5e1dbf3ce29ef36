/** The unit's 每月一题 tasks, in the unit workbench: start, complete with a note; overdue ones marked. */
import { App, Button, Empty, Input, List, Space, Tag } from 'antd';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useT } from '../../i18n';
import { ErrorNotice } from '../../shell/States';
import { TaskStateTag } from './Topics';
import { topicsText } from './TopicsText';

type MyTask = { id: string; title: string; unit: { code: string; name: string }; dueDate: string; state: 'open' | 'in_progress' | 'done'; overdue: boolean; note: string | null; version: number; topic: { id: string; no: string; title: string; month: string; state: string } };

export default function TopicsTaskPanel() {
  const { lang } = useT();
  const tx = topicsText(lang);
  const { message, modal } = App.useApp();
  const tasks = useApi<{ items: MyTask[] }>('/topics/tasks/mine');
  const step = async (t: MyTask, action: 'start' | 'complete', note?: string) => {
    try {
      await api(`/topics/tasks/${t.id}/transitions`, { body: { action, version: t.version, ...(note ? { note } : {}) } });
      tasks.reload();
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
  const complete = (t: MyTask) => {
    let note = '';
    modal.confirm({ title: tx('task.note'), content: <Input.TextArea rows={3} onChange={(e) => (note = e.target.value)} />, okText: tx('task.complete'), cancelText: tx('common.cancel'), onOk: () => step(t, 'complete', note) });
  };
  if (tasks.error) return <ErrorNotice error={tasks.error} onRetry={tasks.reload} />;
  return (
    <List
      loading={tasks.loading}
      dataSource={tasks.data?.items ?? []}
      locale={{ emptyText: <Empty description={tx('task.none')} /> }}
      renderItem={(t) => (
        <List.Item
          actions={t.topic.state !== 'active' ? [] : [
            t.state === 'open' ? <Button key="s" size="small" onClick={() => void step(t, 'start')}>{tx('task.start')}</Button> : null,
            t.state !== 'done' ? <Button key="c" size="small" type="primary" onClick={() => complete(t)}>{tx('task.complete')}</Button> : null,
          ].filter(Boolean)}
        >
          <List.Item.Meta
            title={<Space wrap><Tag color="blue">{t.topic.no}</Tag>{t.title}<TaskStateTag task={t} lang={lang} /></Space>}
            description={`${t.topic.title} · ${t.unit.name} · ${tx('task.due', { d: t.dueDate })}${t.note ? ` · ${t.note}` : ''}`}
          />
        </List.Item>
      )}
    />
  );
}
