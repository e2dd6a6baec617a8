import { Alert, Card, Empty, Flex, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Customer } from '../../shared/api-models';
import { MemberBox } from '../checkout/member-box';
import { AllergyAlert } from '../common/allergy-alert';
import { useErrorMessage } from '../common/error-message';
import { useCustomer } from '../customers/customer-queries';
import { CourseCards } from './course-cards';
import { useCustomerCourses } from './course-queries';
import { DeductionHistory } from './deduction-history';

const CustomerCourses = ({ customer }: { customer: Customer }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const courses = useCustomerCourses(customer.id);
  return (
    <Flex vertical gap="middle">
      <AllergyAlert allergies={customer.allergies} />
      <Card title={t('courses.list')}>
        {courses.isPending && <Skeleton active />}
        {courses.isError && <Alert type="error" showIcon title={errorMessage(courses.error)} />}
        {courses.data && <CourseCards courses={courses.data.items} customer={customer} />}
      </Card>
      <Card title={t('courses.history')}>
        <DeductionHistory customerId={customer.id} />
      </Card>
    </Flex>
  );
};

/** 划扣: find the customer in one box, then her courses with 划扣 and her deduction history with 撤销. */
export const CoursesPage = () => {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const customerId = searchParams.get('customerId') ?? undefined;
  const customer = useCustomer(customerId);
  const errorMessage = useErrorMessage();

  return (
    <Flex vertical gap="middle">
      <Card>
        <Flex vertical gap="small">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('courses.title')}
          </Typography.Title>
          <div style={{ maxWidth: 560 }}>
            <MemberBox
              aria-label={t('courses.member')}
              placeholder={t('courses.memberPlaceholder')}
              autoFocus={!customerId}
              value={customer.data}
              onChange={(picked) => setSearchParams(picked ? { customerId: picked.id } : {})}
            />
          </div>
        </Flex>
      </Card>
      {!customerId && <Empty description={t('courses.pickMember')} />}
      {customerId && customer.isPending && <Skeleton active />}
      {customer.isError && <Alert type="error" showIcon title={errorMessage(customer.error)} />}
      {customer.data && <CustomerCourses customer={customer.data} />}
    </Flex>
  );
};
