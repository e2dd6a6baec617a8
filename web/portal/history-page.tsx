import { Empty, List, NavBar } from 'antd-mobile';
import dayjs from 'dayjs';
import type { PortalPoints } from '../shared/api-models';
import { texts } from './texts';

const signed = (points: number) => (points > 0 ? `+${points.toLocaleString('en-US')}` : points.toLocaleString('en-US'));

/** 积分明细: every entry with its title, date and ± points (gains red, spending green, as Chinese apps show them). */
export const HistoryPage = ({ points, onBack }: { points: PortalPoints | undefined; onBack: () => void }) => (
  <>
    <NavBar onBack={onBack}>{texts.history.title}</NavBar>
    {points && points.history.length === 0 ? (
      <Empty description={texts.history.empty} />
    ) : (
      <List data-testid="portal-history">
        {(points?.history ?? []).map((entry) => (
          <List.Item
            key={entry.id}
            description={dayjs(entry.createdAt).format('YYYY-MM-DD HH:mm')}
            extra={<span className={entry.points >= 0 ? 'portal-points-plus' : 'portal-points-minus'}>{signed(entry.points)}</span>}
          >
            {entry.title}
          </List.Item>
        ))}
      </List>
    )}
  </>
);
