import { Badge, DotLoading, Empty, ErrorBlock, InfiniteScroll, List, NavBar, Toast } from 'antd-mobile';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import type { PortalInboxMessage } from '../shared/api-models';
import { fetchInbox, fetchUnread, inboxPageSize, markMessageRead, portalErrorMessage } from './portal-api';
import { texts } from './texts';

/** 消息: her inbox, newest first, 20 at a time; unread ones in bold with a dot, a tap marks one read and the tab's badge follows. */
export const MessagesPage = ({ onUnreadChange }: { onUnreadChange: (unread: number) => void }) => {
  const [messages, setMessages] = useState<PortalInboxMessage[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [isLoaded, setIsLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A second tap while the first is on its way must not mark it twice.
  const marking = useRef(new Set<string>());

  const loadMore = async () => {
    try {
      const page = await fetchInbox(Math.floor(messages.length / inboxPageSize) + 1);
      setMessages((current) => [...current, ...page.items.filter((item) => !current.some((known) => known.id === item.id))]);
      setHasMore(page.items.length === inboxPageSize);
      setIsLoaded(true);
      onUnreadChange(page.unread);
    } catch (caught) {
      setError(portalErrorMessage(caught));
    }
  };

  const read = async (message: PortalInboxMessage) => {
    if (message.isRead || marking.current.has(message.id)) return;
    marking.current.add(message.id);
    try {
      await markMessageRead(message.id);
      setMessages((current) => current.map((item) => (item.id === message.id ? { ...item, isRead: true } : item)));
      onUnreadChange(await fetchUnread());
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
    } finally {
      marking.current.delete(message.id);
    }
  };

  return (
    <div data-testid="portal-messages">
      <NavBar backIcon={false}>{texts.messages.title}</NavBar>
      {error && <ErrorBlock status="default" title={error} description="" />}
      {isLoaded && messages.length === 0 && <Empty description={texts.messages.empty} />}
      {messages.length > 0 && (
        <List mode="card">
          {messages.map((message) => (
            <List.Item
              key={message.id}
              data-testid="portal-message"
              data-unread={message.isRead ? undefined : 'true'}
              onClick={() => void read(message)}
              arrow={false}
              prefix={
                message.isRead ? (
                  <span className="portal-message-dot-space" />
                ) : (
                  <span className="portal-message-dot" role="img" aria-label={texts.messages.unread}>
                    <Badge content={Badge.dot} />
                  </span>
                )
              }
              description={
                <>
                  <div className="portal-message-body">{message.body}</div>
                  <div className="portal-message-time">{dayjs(message.createdAt).format('YYYY-MM-DD HH:mm')}</div>
                </>
              }
            >
              <span className={message.isRead ? 'portal-message-title' : 'portal-message-title portal-message-unread'}>{message.title}</span>
            </List.Item>
          ))}
        </List>
      )}
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) =>
            !more ? null : isLoaded ? (
              <DotLoading />
            ) : (
              <span className="portal-loading">
                {texts.loading}
                <DotLoading />
              </span>
            )
          }
        </InfiniteScroll>
      )}
    </div>
  );
};
