import { App, Button, Card, DatePicker, Flex, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HolidayCalendarDay, HolidayKind } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { tenantToday, useTenantTimezone } from '../common/tenant-time';
import { useHolidayCalendar, usePutClinicHoliday, useRemoveClinicHoliday } from './points-queries';

const kindColors: Record<HolidayKind, string> = {
  national_holiday: 'red',
  makeup_workday: 'orange',
  clinic_holiday: 'magenta',
  clinic_off: 'default',
};

/** dayjs numbers weekdays from Sunday (0). */
const weekdayKeys = ['0', '1', '2', '3', '4', '5', '6'] as const;

type AddValues = { day: Dayjs | null; name: string };

/**
 * 节假日日历: the days the holiday multiplier follows. The national calendar (法定节假日 and
 * 调休上班) is shared by every clinic and read-only here; the clinic adds its own 活动节日 or
 * works a national holiday as a normal day, and can remove either setting again.
 */
export const HolidayCalendarSection = () => {
  const { t } = useTranslation();
  const nationalName = (name: string) => t(`points.holidays.nationalNames.${name}`, { defaultValue: name });
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const placeServerErrors = usePlaceServerErrors();
  const canManage = useCan('settings.manage');
  const timezoneName = useTenantTimezone();
  const [year, setYear] = useState(() => Number(tenantToday(timezoneName).slice(0, 4)));
  const calendar = useHolidayCalendar(year);
  const put = usePutClinicHoliday();
  const remove = useRemoveClinicHoliday();
  const [form] = Form.useForm<AddValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);

  const add = async (values: AddValues) => {
    if (!values.day) return;
    setProblem(null);
    const day = values.day.format('YYYY-MM-DD');
    try {
      await put.mutateAsync({ day, input: { name: values.name.trim(), isHoliday: true } });
      form.resetFields();
      void message.success(t('points.holidays.added', { day, name: values.name.trim() }));
      if (Number(day.slice(0, 4)) !== year) setYear(Number(day.slice(0, 4)));
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: [['name']], failedTitle: t('points.holidays.addFailed') }) ?? null);
    }
  };

  const turnOff = async (row: HolidayCalendarDay) => {
    try {
      await put.mutateAsync({ day: row.day, input: { isHoliday: false } });
      void message.success(t('points.holidays.turnedOff', { day: row.day }));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  const removeOverride = async (row: HolidayCalendarDay) => {
    if (!row.overrideId) return;
    try {
      await remove.mutateAsync({ id: row.overrideId, year });
      void message.success(t('points.holidays.removed', { day: row.day }));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  const weekday = (day: string) => t(`points.holidays.weekdays.${weekdayKeys[dayjs(day).day()] ?? '0'}`);

  return (
    <Card size="small" title={t('points.holidays.title')} data-testid="holiday-calendar" style={{ marginTop: 24 }}>
      <Flex vertical gap="middle">
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
          {t('points.holidays.help')}
        </Typography.Paragraph>
        <Flex gap="small" align="center">
          <label htmlFor="holiday-calendar-year">{t('points.holidays.year')}</label>
          <DatePicker
            id="holiday-calendar-year"
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            onChange={(value) => value && setYear(value.year())}
            style={{ width: 120 }}
          />
        </Flex>
        {canManage && (
          <Form<AddValues> form={form} layout="inline" name="clinic-holiday" onFinish={(values) => void add(values)}>
            <Form.Item
              name="day"
              label={t('points.holidays.day')}
              htmlFor="clinic-holiday-day"
              rules={[{ required: true, message: t('points.holidays.dayRequired') }]}
            >
              <DatePicker id="clinic-holiday-day" />
            </Form.Item>
            <Form.Item
              name="name"
              label={t('points.holidays.name')}
              htmlFor="clinic-holiday-name"
              rules={[{ required: true, whitespace: true, message: t('points.holidays.nameRequired') }]}
            >
              <Input id="clinic-holiday-name" maxLength={30} placeholder={t('points.holidays.namePlaceholder')} style={{ width: 180 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={put.isPending}>
              {t('points.holidays.add')}
            </Button>
          </Form>
        )}
        <FormProblemAlert problem={problem} />
        <Table<HolidayCalendarDay>
          size="small"
          rowKey="day"
          loading={calendar.isFetching}
          dataSource={calendar.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: calendar.isError ? errorMessage(calendar.error) : t('points.holidays.empty', { year }) }}
          columns={[
            { key: 'day', title: t('points.holidays.day'), render: (_, row) => `${row.day} ${weekday(row.day)}`, width: 150 },
            {
              key: 'name',
              title: t('points.holidays.name'),
              render: (_, row) => (row.kind === 'clinic_holiday' ? row.name : nationalName(row.name)),
            },
            {
              key: 'kind',
              title: t('points.holidays.kind'),
              render: (_, row) => (
                <Flex gap={4} wrap>
                  <Tag color={kindColors[row.kind]}>{t(`points.holidays.kinds.${row.kind}`)}</Tag>
                  {row.kind === 'clinic_holiday' && row.national && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('points.holidays.over', { name: nationalName(row.national.name) })}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            {
              key: 'source',
              title: t('points.holidays.source'),
              render: (_, row) => (row.overrideId ? t('points.holidays.sources.clinic') : t('points.holidays.sources.national')),
            },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: '',
                    width: 140,
                    render: (_: unknown, row: HolidayCalendarDay) =>
                      row.overrideId ? (
                        <Popconfirm title={t('points.holidays.removeConfirm', { day: row.day })} onConfirm={() => removeOverride(row)}>
                          <Button size="small" type="link" aria-label={t('points.holidays.removeLabel', { day: row.day })}>
                            {t('points.holidays.remove')}
                          </Button>
                        </Popconfirm>
                      ) : row.kind === 'national_holiday' ? (
                        <Popconfirm title={t('points.holidays.turnOffConfirm', { day: row.day, name: row.name })} onConfirm={() => turnOff(row)}>
                          <Button size="small" type="link" aria-label={t('points.holidays.turnOffLabel', { day: row.day })}>
                            {t('points.holidays.turnOff')}
                          </Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Flex>
    </Card>
  );
};
