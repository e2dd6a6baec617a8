import { Button, Card, Dialog, DotLoading, Empty, ErrorBlock, List, NavBar, Selector, Toast } from 'antd-mobile';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { PortalAppointment, PortalBookingOptions, PortalBookingSlot } from '../shared/api-models';
import { portalErrorMessage } from './portal-api';
import { texts } from './texts';

const dayLabel = (day: string, index: number) => {
  const date = dayjs(day);
  const name = index === 0 ? texts.booking.today : index === 1 ? texts.booking.tomorrow : texts.booking.weekdays[date.day()];
  return `${date.format('M/D')} ${name}`;
};

/** 我的预约: her upcoming visits, each cancellable. */
const MyAppointments = ({ items, onChanged }: { items: PortalAppointment[] | undefined; onChanged: () => void }) => {
  const cancel = async (appointment: PortalAppointment) => {
    if (!(await Dialog.confirm({ content: texts.booking.cancelConfirm }))) return;
    try {
      await unwrap(api.POST('/api/portal/v1/appointments/{id}/cancel', { params: { path: { id: appointment.id } } }));
      Toast.show({ content: texts.booking.cancelled });
      onChanged();
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
    }
  };
  return (
    <List mode="card" header={texts.booking.mine} data-testid="portal-my-appointments">
      {items && items.length === 0 && <List.Item>{texts.booking.none}</List.Item>}
      {items?.map((appointment) => (
        <List.Item
          key={appointment.id}
          data-testid="portal-appointment"
          description={`${appointment.storeName} · ${appointment.itemNames.join('、')}`}
          extra={
            <Button size="mini" onClick={() => void cancel(appointment)}>
              {texts.booking.cancel}
            </Button>
          }
        >
          {dayjs(appointment.startsAt).format('M月D日 HH:mm')}
        </List.Item>
      ))}
    </List>
  );
};

/**
 * 预约到店: a store, an item, a day and a free time from the clinic's hours; the desk finds the
 * booking in its appointment book. Her upcoming bookings are listed below, each cancellable.
 */
export const BookingPage = ({ onBack }: { onBack: () => void }) => {
  const [options, setOptions] = useState<PortalBookingOptions | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | undefined>();
  const [itemId, setItemId] = useState<string | undefined>();
  const [day, setDay] = useState<string | undefined>();
  const [slots, setSlots] = useState<PortalBookingSlot[] | undefined>();
  const [startsAt, setStartsAt] = useState<string | undefined>();
  const [isSaving, setIsSaving] = useState(false);
  const [mine, setMine] = useState<PortalAppointment[] | undefined>();

  const loadMine = useCallback(() => {
    unwrap(api.GET('/api/portal/v1/appointments'))
      .then((data) => setMine(data.items))
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, []);

  useEffect(() => {
    unwrap(api.GET('/api/portal/v1/booking'))
      .then((data) => {
        setOptions(data);
        setStoreId(data.stores[0]?.id);
        setDay(data.days[0]);
      })
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
    loadMine();
  }, [loadMine]);

  const loadSlots = useCallback(() => {
    setSlots(undefined);
    setStartsAt(undefined);
    if (!storeId || !day) return;
    unwrap(api.GET('/api/portal/v1/booking/slots', { params: { query: { storeId, date: day } } }))
      .then((data) => setSlots(data.slots))
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, [storeId, day]);

  useEffect(() => loadSlots(), [loadSlots]);

  const book = async () => {
    if (!storeId || !itemId || !startsAt) return;
    setIsSaving(true);
    try {
      await unwrap(api.POST('/api/portal/v1/appointments', { body: { storeId, itemId, startsAt } }));
      Toast.show({ content: texts.booking.booked, icon: 'success' });
      setStartsAt(undefined);
      loadMine();
      // Read again: her place is taken now.
      loadSlots();
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
    } finally {
      setIsSaving(false);
    }
  };

  const free = slots?.filter((slot) => slot.isAvailable) ?? [];
  return (
    <div data-testid="portal-booking">
      <NavBar onBack={onBack}>{texts.booking.title}</NavBar>
      {error && <ErrorBlock status="default" title={error} description="" />}
      {!error && !options && (
        <div className="portal-loading">
          <DotLoading />
        </div>
      )}
      {options && !options.isOpen && <Empty description={texts.booking.closed} />}
      {options?.isOpen && (
        <Card className="portal-card">
          <div className="portal-booking-label">{texts.booking.store}</div>
          <Selector
            columns={1}
            options={options.stores.map((store) => ({ label: store.name, description: store.address ?? undefined, value: store.id }))}
            value={storeId ? [storeId] : []}
            onChange={(value) => value[0] && setStoreId(value[0])}
          />
          <div className="portal-booking-label">{texts.booking.item}</div>
          <Selector
            columns={2}
            options={options.items.map((item) => ({ label: item.name, value: item.id }))}
            value={itemId ? [itemId] : []}
            onChange={(value) => setItemId(value[0])}
          />
          <div className="portal-booking-label">{texts.booking.day}</div>
          <div className="portal-booking-days">
            <Selector
              options={options.days.map((candidate, index) => ({ label: dayLabel(candidate, index), value: candidate }))}
              value={day ? [day] : []}
              onChange={(value) => value[0] && setDay(value[0])}
            />
          </div>
          <div className="portal-booking-label">{texts.booking.time}</div>
          {!slots && <DotLoading />}
          {slots && free.length === 0 && <p className="portal-note">{texts.booking.noSlots}</p>}
          {slots && free.length > 0 && (
            <Selector
              columns={4}
              options={slots.map((slot) => ({ label: dayjs(slot.startsAt).format('HH:mm'), value: slot.startsAt, disabled: !slot.isAvailable }))}
              value={startsAt ? [startsAt] : []}
              onChange={(value) => setStartsAt(value[0])}
            />
          )}
          <Button block color="primary" style={{ marginTop: 16 }} disabled={!storeId || !itemId || !startsAt} loading={isSaving} onClick={() => void book()}>
            {texts.booking.submit}
          </Button>
        </Card>
      )}
      <MyAppointments items={mine} onChanged={loadMine} />
    </div>
  );
};

/** 预约到店 on the home page. */
export const BookingEntry = () => (
  <List mode="card">
    <List.Item
      onClick={() => {
        window.location.hash = '#/booking';
      }}
      description={texts.booking.entryNote}
      data-testid="portal-booking-entry"
    >
      {texts.booking.entry}
    </List.Item>
  </List>
);
