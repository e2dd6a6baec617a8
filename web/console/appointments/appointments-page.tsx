import { LoginOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Row, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { Appointment } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { ArrivalDesk } from '../visits/arrival-desk';
import { WalkInDrawer } from '../visits/walk-in-drawer';
import { AppointmentBook } from './appointment-book';
import { ArriveDialog } from './arrive-dialog';
import { BookAppointmentDrawer } from './book-appointment-drawer';
import { NotArrivedPanel } from './not-arrived-panel';
import { RescheduleDialog } from './reschedule-dialog';
import { StoreDayBar } from './store-day-bar';
import { useStoreDay } from './use-store-day';

export type AppointmentsView = 'book' | 'desk';

const viewPaths: Record<AppointmentsView, string> = { book: '/appointments', desk: '/appointments/arrivals' };

/** 预约到访: the appointment book and the arrival desk of one store and day. */
export const AppointmentsPage = ({ view }: { view: AppointmentsView }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = useCan('visits.write');
  const storeDay = useStoreDay();
  const [arriving, setArriving] = useState<Appointment | null>(null);
  const [rescheduling, setRescheduling] = useState<Appointment | null>(null);
  const [isBooking, setIsBooking] = useState(false);
  const [isRegistering, setIsRegistering] = useState(false);
  const storeName = storeDay.stores.find((store) => store.id === storeDay.storeId)?.name;

  if (!storeDay.storeId) {
    return (
      <Card>
        <Empty description={t('appointments.noStore')} />
      </Card>
    );
  }

  const actions = { onArrive: setArriving, onReschedule: setRescheduling };

  return (
    <Card>
      <Flex vertical gap="middle">
        <Flex justify="space-between" align="center" wrap gap="small">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('appointments.title')}
          </Typography.Title>
          {canWrite && (
            <Space>
              <Button icon={<LoginOutlined />} onClick={() => setIsRegistering(true)}>
                {t('visits.walkIn.open')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setIsBooking(true)}>
                {t('appointments.book.open')}
              </Button>
            </Space>
          )}
        </Flex>
        <StoreDayBar storeDay={storeDay} />
        <Tabs
          activeKey={view}
          onChange={(key) => navigate({ pathname: viewPaths[key === 'desk' ? 'desk' : 'book'], search: location.search })}
          items={[
            { key: 'book', label: t('appointments.tabs.book'), children: <AppointmentBook storeDay={storeDay} actions={actions} /> },
            {
              key: 'desk',
              label: t('appointments.tabs.desk'),
              children: (
                <Row gutter={[16, 16]}>
                  <Col xs={{ span: 24, order: 2 }} xxl={{ span: 16, order: 1 }}>
                    <ArrivalDesk storeId={storeDay.storeId} date={storeDay.date} />
                  </Col>
                  <Col xs={{ span: 24, order: 1 }} xxl={{ span: 8, order: 2 }}>
                    <NotArrivedPanel storeId={storeDay.storeId} date={storeDay.date} isToday={storeDay.isToday} onArrive={setArriving} />
                  </Col>
                </Row>
              ),
            },
          ]}
        />
      </Flex>
      <ArriveDialog appointment={arriving} onClose={() => setArriving(null)} />
      <RescheduleDialog appointment={rescheduling} onClose={() => setRescheduling(null)} />
      <BookAppointmentDrawer
        open={isBooking}
        onClose={() => setIsBooking(false)}
        stores={storeDay.stores}
        defaults={{ storeId: storeDay.storeId, date: storeDay.date }}
      />
      <WalkInDrawer open={isRegistering} storeId={storeDay.storeId} storeName={storeName} onClose={() => setIsRegistering(false)} />
    </Card>
  );
};
