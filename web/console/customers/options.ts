import { useTranslation } from 'react-i18next';
import type { Gender, SourceChannel, StaffMember } from '../../shared/api-models';

export const genders: readonly Gender[] = ['female', 'male', 'unknown'];

export const sourceChannels: readonly SourceChannel[] = ['walk_in', 'referral', 'meituan', 'douyin', 'xiaohongshu', 'wechat', 'ads', 'event', 'other'];

export const isGender = (value: unknown): value is Gender => genders.some((gender) => gender === value);
export const isSourceChannel = (value: unknown): value is SourceChannel => sourceChannels.some((channel) => channel === value);

export const useGenderOptions = () => {
  const { t } = useTranslation();
  return genders.map((gender) => ({ value: gender, label: t(`gender.${gender}`) }));
};

export const useSourceChannelOptions = () => {
  const { t } = useTranslation();
  return sourceChannels.map((channel) => ({ value: channel, label: t(`sourceChannel.${channel}`) }));
};

/** Staff as select options, "name（role）", consultants first since they are the usual pick. */
export const useStaffOptions = (staff: readonly StaffMember[]) => {
  const { t } = useTranslation();
  return [...staff]
    .sort((a, b) => Number(b.role === 'consultant') - Number(a.role === 'consultant'))
    .map((member) => ({
      value: member.id,
      label: t('header.userRole', { name: member.displayName, role: t(`roles.${member.role}`) }),
    }));
};
