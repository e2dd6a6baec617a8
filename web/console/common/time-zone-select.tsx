import { Select } from 'antd';
import { useMemo } from 'react';

/** Every IANA time zone the browser knows, searchable; the server checks the choice again. */
export const TimeZoneSelect = (props: { value?: string; onChange?: (value: string) => void; id?: string }) => {
  const options = useMemo(() => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai'];
    return (zones.includes('Asia/Shanghai') ? zones : ['Asia/Shanghai', ...zones]).map((zone) => ({ value: zone, label: zone }));
  }, []);
  return <Select showSearch options={options} {...props} />;
};
