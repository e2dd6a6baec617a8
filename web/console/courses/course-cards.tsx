import { Card, Empty, Flex, Progress, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerCourse, CustomerCourseItem } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { DeductButton, type DeductCustomer } from './deduct-button';

const CourseCard = ({ course, customer }: { course: CustomerCourse; customer: DeductCustomer }) => {
  const { t } = useTranslation();
  const isUsable = !course.isExpired && !course.isFinished;
  const columns: ColumnsType<CustomerCourseItem> = [
    { key: 'name', title: t('courses.item'), render: (_, item) => item.name },
    {
      key: 'sessions',
      title: t('courses.sessions'),
      width: 260,
      render: (_, item) => (
        <Flex vertical gap={0}>
          <Typography.Text strong>{t('courses.remaining', { count: item.remainingSessions })}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('courses.progress', { used: item.usedSessions, total: item.totalSessions })}
            {item.refundedSessions > 0 && ` · ${t('courses.refundedSessions', { count: item.refundedSessions })}`}
          </Typography.Text>
          <Progress percent={item.totalSessions ? Math.round((item.usedSessions / item.totalSessions) * 100) : 0} size="small" showInfo={false} />
        </Flex>
      ),
    },
    { key: 'value', title: t('courses.columns.value'), width: 110, align: 'right', render: (_, item) => formatYuan(item.valueFen) },
    {
      key: 'deduct',
      width: 100,
      render: (_, item) => (isUsable ? <DeductButton courseItem={item} customer={customer} courseName={course.name} /> : null),
    },
  ];
  return (
    <Card
      size="small"
      title={
        <Flex gap="small" align="center" wrap>
          <span>{course.name}</span>
          {course.isExpired && <Tag color="red">{t('courses.expired')}</Tag>}
          {course.isFinished && <Tag>{t('courses.finished')}</Tag>}
        </Flex>
      }
      extra={
        <Flex gap="middle" align="center">
          <Typography.Text type="secondary">{course.expiresOn ? t('courses.expiresOn', { date: course.expiresOn }) : t('courses.noExpiry')}</Typography.Text>
          <Link to={`/orders/${course.orderId}`}>{t('courses.order', { number: course.orderNumber })}</Link>
        </Flex>
      }
    >
      <Table<CustomerCourseItem> rowKey="id" size="small" columns={columns} dataSource={course.items} pagination={false} />
    </Card>
  );
};

/** A customer's courses, usable ones first, each item with its remaining sessions and 划扣. */
export const CourseCards = ({ courses, customer }: { courses: readonly CustomerCourse[]; customer: DeductCustomer }) => {
  const { t } = useTranslation();
  if (courses.length === 0) return <Empty description={t('courses.empty')} />;
  const ordered = [...courses].sort((a, b) => Number(a.isExpired || a.isFinished) - Number(b.isExpired || b.isFinished));
  return (
    <Flex vertical gap="middle">
      {ordered.map((course) => (
        <CourseCard key={course.id} course={course} customer={customer} />
      ))}
    </Flex>
  );
};
