import { Card, DotLoading, Empty, ErrorBlock, List, NavBar, ProgressBar, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { PortalCourse } from '../shared/api-models';
import { portalErrorMessage } from './portal-api';
import { texts } from './texts';

const CourseCard = ({ course }: { course: PortalCourse }) => (
  <Card
    className="portal-card"
    data-testid="portal-course"
    title={course.name}
    extra={
      course.isFinished ? (
        <Tag color="default">{texts.courses.finished}</Tag>
      ) : course.isExpired ? (
        <Tag color="warning">{texts.courses.expired}</Tag>
      ) : (
        <span className="portal-note-inline">{course.expiresOn ? texts.courses.expiresOn(course.expiresOn) : texts.courses.noExpiry}</span>
      )
    }
  >
    {course.items.map((item) => (
      <div key={item.name} className="portal-course-item">
        <div className="portal-course-item-head">
          <span>{item.name}</span>
          <strong>{texts.courses.remaining(item.remainingSessions, item.totalSessions)}</strong>
        </div>
        <ProgressBar percent={item.totalSessions > 0 ? (item.remainingSessions / item.totalSessions) * 100 : 0} />
      </div>
    ))}
    <List header={texts.courses.history} className="portal-course-history">
      {course.history.length === 0 ? (
        <List.Item>{texts.courses.noHistory}</List.Item>
      ) : (
        course.history.map((entry) => (
          <List.Item
            key={entry.id}
            description={`${entry.businessDate} · ${entry.storeName}`}
            extra={entry.isReversed ? <Tag color="default">{texts.courses.reversed}</Tag> : texts.courses.used(entry.sessions)}
          >
            {entry.itemName}
          </List.Item>
        ))
      )}
    </List>
  </Card>
);

/** 我的疗程: the sessions left of each course she bought, and every 划扣 with its store and day. */
export const CoursesPage = ({ onBack }: { onBack: () => void }) => {
  const [courses, setCourses] = useState<PortalCourse[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/portal/v1/courses'))
      .then((data) => setCourses(data.items))
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, []);
  return (
    <div data-testid="portal-courses">
      <NavBar onBack={onBack}>{texts.courses.title}</NavBar>
      {error && <ErrorBlock status="default" title={error} description="" />}
      {!error && !courses && (
        <div className="portal-loading">
          <DotLoading />
        </div>
      )}
      {courses && courses.length === 0 && <Empty description={texts.courses.empty} />}
      {courses?.map((course) => (
        <CourseCard key={course.id} course={course} />
      ))}
    </div>
  );
};
