import { Card, List, Tag } from 'antd-mobile';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { paths } from '../shared/api-types';
import { formatYuan } from '../shared/money';

type PortalStoredValue = paths['/api/portal/v1/stored-value']['get']['responses'][200]['content']['application/json'];
type PortalCards = paths['/api/portal/v1/cards']['get']['responses'][200]['content']['application/json'];

const signed = (fen: number) => (fen > 0 ? `+${formatYuan(fen)}` : formatYuan(fen));

/** 储值 on the portal home: principal and bonus apart, the latest movements, and the family members on my cards. */
export const StoredValueCard = () => {
  const [storedValue, setStoredValue] = useState<PortalStoredValue | undefined>();
  const [cards, setCards] = useState<PortalCards['items']>([]);
  useEffect(() => {
    unwrap(api.GET('/api/portal/v1/stored-value'))
      .then(setStoredValue)
      .catch(() => setStoredValue(undefined));
    unwrap(api.GET('/api/portal/v1/cards'))
      .then((data) => setCards(data.items))
      .catch(() => setCards([]));
  }, []);
  return (
    <>
      {storedValue && (storedValue.balanceFen > 0 || storedValue.history.length > 0) && (
        <Card title="储值余额" className="portal-card" data-testid="portal-stored-value">
          <div className="portal-balance">
            <div>
              <div className="portal-balance-number">{formatYuan(storedValue.principalFen)}</div>
              <div className="portal-balance-label">本金</div>
            </div>
            <div>
              <div className="portal-balance-number portal-balance-pending">{formatYuan(storedValue.bonusFen)}</div>
              <div className="portal-balance-label">赠送</div>
            </div>
          </div>
          <p className="portal-note">消费时本金与赠送按店内规则扣减；退款仅退未使用的本金，赠送部分作废。</p>
          <List>
            {storedValue.history.slice(0, 5).map((entry) => (
              <List.Item
                key={entry.id}
                description={`${dayjs(entry.createdAt).format('YYYY-MM-DD HH:mm')} · 余额 ${formatYuan(entry.balanceAfterFen)}`}
                extra={signed(entry.principalFen + entry.bonusFen)}
              >
                {entry.title}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {cards.map((card) => (
        <Card key={card.id} title={card.name} className="portal-card" data-testid="portal-card">
          <p className="portal-note">
            {card.isOwner ? '我的会员卡' : `${card.ownerName} 的家庭卡`}
            {card.validTo ? ` · 有效期至 ${card.validTo}` : ' · 终身有效'}
            {!card.isValid && ' · 已过期'}
          </p>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
            <Tag color="warning">{card.ownerName}</Tag>
            {card.members.map((member) => (
              <Tag key={`${member.name}-${member.relation ?? ''}`} color="primary" fill="outline">
                {member.name}
                {member.relation ? `（${member.relation}）` : ''}
              </Tag>
            ))}
          </div>
          <p className="portal-note">
            家庭成员 {card.members.length + 1}/{card.familyLimit}（含持卡人）
          </p>
        </Card>
      ))}
    </>
  );
};
