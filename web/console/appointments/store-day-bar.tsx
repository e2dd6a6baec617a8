import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { StoreDay } from './use-store-day';

/** 门店 + 日期: the day the book and the desk show; ‹ › step a day, 今天 jumps back. */
export const StoreDayBar = ({ storeDay }: { storeDay: StoreDay }) => {
  const { t } = useTranslation();
  const { stores, storeId, date, isToday, setStoreId, setDate, today } = storeDay;
  const shift = (days: number) => setDate(dayjs(date).add(days, 'day').format('YYYY-MM-DD'));
  return (
    <Flex wrap gap="small" align="center">
      {stores.length > 1 ? (
        <Select
          aria-label={t('appointments.store')}
          style={{ width: 180 }}
          value={storeId}
          options={stores.map((store) => ({ value: store.id, label: store.name }))}
          onChange={setStoreId}
        />
      ) : (
        <Typography.Text strong>{stores[0]?.name}</Typography.Text>
      )}
      <Space.Compact>
        <Button icon={<LeftOutlined />} aria-label={t('appointments.previousDay')} onClick={() => shift(-1)} />
        <DatePicker
          aria-label={t('appointments.date')}
          allowClear={false}
          value={dayjs(date)}
          format="YYYY-MM-DD ddd"
          onChange={(value) => value && setDate(value.format('YYYY-MM-DD'))}
          style={{ width: 170 }}
        />
        <Button icon={<RightOutlined />} aria-label={t('appointments.nextDay')} onClick={() => shift(1)} />
      </Space.Compact>
      <Button disabled={isToday} onClick={() => setDate(today)}>
        {t('appointments.today')}
      </Button>
    </Flex>
  );
};
