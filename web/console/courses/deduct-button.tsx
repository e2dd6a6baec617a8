import { ScissorOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerCourseItem } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { DeductDialog } from './deduct-dialog';

export type DeductCustomer = { id: string; name: string; allergies: readonly string[] };

type DeductButtonProps = {
  courseItem: CustomerCourseItem;
  customer: DeductCustomer;
  /** Shown in the dialog's title line, e.g. 水光三次疗程. */
  courseName?: string;
  size?: 'small' | 'middle';
};

/** 划扣 one course item: opens the deduction dialog (allergy warning, sessions, executor, store, note). */
export const DeductButton = ({ courseItem, customer, courseName, size = 'small' }: DeductButtonProps) => {
  const { t } = useTranslation();
  const canDeduct = useCan('courses.deduct');
  const [isOpen, setIsOpen] = useState(false);
  if (!canDeduct) return null;
  return (
    <>
      <Button
        type="primary"
        size={size}
        icon={<ScissorOutlined />}
        disabled={courseItem.remainingSessions <= 0}
        title={courseItem.remainingSessions <= 0 ? t('courses.noneLeft') : undefined}
        aria-label={`${t('courses.deduct')} ${courseItem.name}`}
        onClick={() => setIsOpen(true)}
      >
        {t('courses.deduct')}
      </Button>
      {isOpen && <DeductDialog courseItem={courseItem} customer={customer} courseName={courseName} onClose={() => setIsOpen(false)} />}
    </>
  );
};
