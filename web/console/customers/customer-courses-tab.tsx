import { Alert, Card, Empty, Flex, Skeleton, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer, CustomerCourse, CustomerCourseItem } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { DeductButton } from '../courses/deduct-button';
import { useCustomerCourses } from './customer-360-queries';

const isRunning = (course: CustomerCourse) => !course.isFinished && !course.isExpired;

/** 疗程: the customer's courses, running ones first, each item's used / total / remaining sessions. */
export const CustomerCoursesTab = ({ customer }: { customer: Customer }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const courses = useCustomerCourses(customer.id);
  if (courses.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (courses.isError) return <Alert type="error" showIcon title={errorMessage(courses.error)} />;
  const sorted = [...courses.data.items].sort((a, b) => Number(isRunning(b)) - Number(isRunning(a)));
  if (sorted.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer360.courses.empty')} />;
  return (
    <Flex vertical gap="middle">
      {sorted.map((course) => (
        <CourseCard key={course.id} course={course} customer={customer} />
      ))}
    </Flex>
  );
};

const CourseCard = ({ course, customer }: { course: CustomerCourse; customer: Customer }) => {
  const { t } = useTranslation();
  const status = course.isExpired ? 'expired' : course.isFinished ? 'finished' : 'running';
  const statusColors = { expired: 'default', finished: 'default', running: 'green' } as const;
  return (
    <Card
      size="small"
      title={
        <Flex gap="small" align="center" wrap>
          <Typography.Text strong>{course.name}</Typography.Text>
          <Tag color={statusColors[status]}>{t(`customer360.courses.status.${status}`)}</Tag>
        </Flex>
      }
      extra={
        <Typography.Text type="secondary">
          {course.expiresOn ? t('customer360.courses.expiresOn', { date: course.expiresOn }) : t('customer360.courses.noExpiry')}
          {' · '}
          <Link to={`/orders/${course.orderId}`}>{course.orderNumber}</Link>
        </Typography.Text>
      }
    >
      <Table<CustomerCourseItem>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={course.items}
        columns={[
          { key: 'name', title: t('customer360.courses.item'), dataIndex: 'name' },
          {
            key: 'used',
            title: t('customer360.courses.used'),
            width: 120,
            render: (_, item) => t('customer360.courses.usedOfTotal', { used: item.usedSessions, total: item.totalSessions }),
          },
          {
            key: 'refunded',
            title: t('customer360.courses.refunded'),
            width: 90,
            render: (_, item) => (item.refundedSessions > 0 ? item.refundedSessions : t('common.empty')),
          },
          {
            key: 'remaining',
            title: t('customer360.courses.remaining'),
            width: 90,
            render: (_, item) => (
              <Typography.Text strong type={item.remainingSessions > 0 ? 'success' : 'secondary'}>
                {item.remainingSessions}
              </Typography.Text>
            ),
          },
          {
            key: 'actions',
            title: t('customer360.courses.actions'),
            width: 120,
            // 划扣 while sessions are left and the course has not expired (the server refuses expired ones).
            render: (_, item) =>
              item.remainingSessions > 0 && !course.isExpired ? <DeductButton courseItem={item} customer={customer} courseName={course.name} /> : null,
          },
        ]}
      />
    </Card>
  );
};
