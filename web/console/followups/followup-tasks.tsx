import { Alert, App, Button, Flex, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { type FollowupTask, type TaskQuery, useFollowupTasks, useMoveTask } from './followup-queries';
import { OutcomeModal } from './outcome-modal';

type Due = NonNullable<TaskQuery['due']>;
const dueFilters: readonly Due[] = ['today', 'overdue', 'upcoming', 'done'];

/**
 * A list of follow-ups: mine, the unassigned pool or everyone's, by today / overdue / later / done
 * (all of one customer's with `customerId`), each with its outcome or the button to record it.
 */
export const FollowupTaskList = ({ scope, customerId }: { scope: NonNullable<TaskQuery['scope']>; customerId?: string }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const me = useCurrentMe();
  const canWrite = useCan('followups.write');
  const [due, setDue] = useState<Due>(customerId ? 'all' : 'today');
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState<FollowupTask | null>(null);
  const tasks = useFollowupTasks({ scope, due, page, pageSize: 20, ...(customerId ? { customerId } : {}) });
  const move = useMoveTask();
  if (tasks.isError) return <Alert type="error" showIcon title={errorMessage(tasks.error)} />;
  const counts = tasks.data?.counts;

  const take = async (task: FollowupTask) => {
    try {
      await move.mutateAsync({ id: task.id, assigneeId: me.user.id });
      void message.success(t('followups.taken'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  return (
    <Flex vertical gap="small">
      {!customerId && (
        <Flex justify="space-between" align="center" wrap gap="small">
          <Segmented<Due>
            value={due}
            onChange={(next) => {
              setDue(next);
              setPage(1);
            }}
            options={dueFilters.map((value) => ({
              value,
              label:
                value === 'today' && counts
                  ? `${t('followups.due.today')} ${counts.today}`
                  : value === 'overdue' && counts
                    ? `${t('followups.due.overdue')} ${counts.overdue}`
                    : t(`followups.due.${value}`),
            }))}
          />
        </Flex>
      )}
      <Table<FollowupTask>
        size="small"
        rowKey="id"
        loading={tasks.isPending}
        dataSource={tasks.data?.items ?? []}
        locale={{ emptyText: t('followups.empty') }}
        pagination={{ current: page, pageSize: 20, total: tasks.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { key: 'due', title: t('followups.columns.due'), dataIndex: 'dueDate', width: 110 },
          ...(customerId
            ? []
            : [
                {
                  key: 'customer',
                  title: t('followups.columns.customer'),
                  width: 170,
                  render: (_: unknown, task: FollowupTask) => (
                    <Flex vertical>
                      <Link to={`/customers/${task.customerId}`}>{task.customerName}</Link>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {task.customerPhone}
                      </Typography.Text>
                    </Flex>
                  ),
                },
              ]),
          {
            key: 'task',
            title: t('followups.columns.task'),
            render: (_, task) => (
              <Flex vertical gap={2}>
                <Space size={4}>
                  <Tag>{t(`followups.kinds.${task.kind}` as 'followups.kinds.care', { defaultValue: task.kind })}</Tag>
                  <span>{task.title}</span>
                </Space>
                {task.script && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('followups.script')}：{task.script}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            key: 'channel',
            title: t('followups.columns.channel'),
            width: 70,
            render: (_, task) => t(`followups.channels.${task.channel}` as 'followups.channels.call', { defaultValue: task.channel }),
          },
          { key: 'assignee', title: t('followups.columns.assignee'), width: 110, render: (_, task) => task.assigneeName ?? <Tag>{t('followups.pool')}</Tag> },
          {
            key: 'status',
            title: t('followups.columns.status'),
            width: 170,
            render: (_, task) =>
              task.status === 'done' ? (
                <Flex vertical gap={2}>
                  <span>
                    <Tag color={task.outcome === 'reached' || task.outcome === 'booked' ? 'green' : 'default'}>
                      {t(`followups.outcomes.${task.outcome ?? 'reached'}`)}
                    </Tag>
                  </span>
                  {task.note && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {task.note}
                    </Typography.Text>
                  )}
                </Flex>
              ) : task.status === 'cancelled' ? (
                <Tag>{t('followups.cancelledTask')}</Tag>
              ) : canWrite ? (
                <Space size={4}>
                  <Button size="small" type="primary" onClick={() => setRecording(task)} aria-label={`${t('followups.record')}：${task.customerName}`}>
                    {t('followups.record')}
                  </Button>
                  {task.assigneeId === null && (
                    <Button size="small" onClick={() => void take(task)}>
                      {t('followups.take')}
                    </Button>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {recording && <OutcomeModal task={recording} onClose={() => setRecording(null)} />}
    </Flex>
  );
};
