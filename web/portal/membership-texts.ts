import { formatYuan } from '../shared/money';

/** Portal text of the tier card (zh-CN). */
export const membershipTexts = {
  title: '我的会员等级',
  none: '暂未获得会员等级',
  validUntil: (date: string) => `有效期至 ${date}`,
  next: (name: string) => `距「${name}」`,
  nextAny: '满足任一条件即可升级',
  nextAll: '需同时满足以下条件',
  top: '您已是最高等级，感谢一路相伴',
  item: (label: string, current: string, target: string) => `${label} ${current} / ${target}`,
  labels: { growth: '成长值', consumptionFen: '消费金额', visits: '到店天数', topUpFen: '单次储值' } as Record<string, string>,
  value: (criterion: string, value: number) => (criterion === 'consumptionFen' || criterion === 'topUpFen' ? formatYuan(value) : value.toLocaleString('en-US')),
  window: (months: number) => `按近 ${months} 个月统计；使用积分不影响等级`,
  benefits: '当前权益',
  unlocks: '升级后可享',
  birthdayNow: '本月是您的生日月，到店即可享受生日礼遇',
  birthdayRule: '生日月按您登记的历法计算：农历生日以当年农历生日所在的公历月份为准；闰月出生按同月平月计；若当年该月没有三十，以廿九为生日。',
  gifts: '升级礼待发放',
  noBenefits: '暂无',
};
